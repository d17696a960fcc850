//! Tickets (`TicketObject`, live key order, facts §4.1), deleted tickets, and side-loaded users.

use super::api_url;
use crate::store::AccountData;
use crate::store::clock::iso8601;
use crate::store::tickets::{Ticket, TicketState};
use crate::store::{Caller, Id};
use serde::Serialize;
use serde_json::{Value, json};

/// `via` as recorded for API-created tickets.
pub fn via(channel: &str) -> Value {
    json!({"channel": channel, "source": {"from": {}, "to": {}, "rel": null}})
}

/// `TicketObject`, typed like [`super::users::UserView`] (search renders a hundred at a time).
#[derive(Debug, Serialize)]
pub struct TicketView<'a> {
    url: String,
    id: Id,
    external_id: Option<&'a str>,
    via: Via<'a>,
    created_at: String,
    updated_at: String,
    #[serde(rename = "type")]
    kind: Option<&'a str>,
    subject: Option<&'a str>,
    raw_subject: Option<&'a str>,
    description: &'a str,
    priority: Option<&'a str>,
    status: &'static str,
    recipient: Option<()>,
    requester_id: Id,
    submitter_id: Id,
    assignee_id: Option<Id>,
    organization_id: Option<Id>,
    group_id: Option<Id>,
    collaborator_ids: &'a [Id],
    follower_ids: &'static [Id],
    email_cc_ids: &'static [Id],
    forum_topic_id: Option<()>,
    problem_id: Option<()>,
    has_incidents: bool,
    is_public: bool,
    due_at: Option<()>,
    tags: &'a [String],
    custom_fields: &'a [Value],
    satisfaction_rating: Option<()>,
    sharing_agreement_ids: &'static [Id],
    custom_status_id: Id,
    fields: &'a [Value],
    followup_ids: &'static [Id],
    ticket_form_id: Id,
    brand_id: Id,
    allow_channelback: bool,
    allow_attachments: bool,
    from_messaging_channel: bool,
    generated_timestamp: i64,
}

/// `via` as recorded for API-created tickets: `{"channel", "source": {"from": {}, "to": {},
/// "rel": null}}`.
#[derive(Debug, Serialize)]
struct Via<'a> {
    channel: &'a str,
    source: ViaSource,
}

#[derive(Debug, Serialize)]
struct ViaSource {
    from: Empty,
    to: Empty,
    rel: Option<()>,
}

/// `{}`.
#[derive(Debug, Serialize)]
struct Empty {}

impl TicketView<'_> {
    /// The view as a `Value`, for callers that build a larger `Value` around it.
    pub fn to_value(&self) -> Value {
        super::to_value(self)
    }
}

pub fn ticket<'a>(data: &'a AccountData, ticket: &'a Ticket, origin: &str) -> TicketView<'a> {
    let first = ticket.comment_ids.first().and_then(|id| data.comment(*id));
    TicketView {
        url: api_url(origin, &format!("tickets/{}", ticket.id)),
        id: ticket.id,
        external_id: ticket.external_id.as_deref(),
        via: Via {
            channel: &ticket.channel,
            source: ViaSource {
                from: Empty {},
                to: Empty {},
                rel: None,
            },
        },
        created_at: iso8601(ticket.created_at),
        updated_at: iso8601(ticket.updated_at),
        kind: ticket.kind.as_deref(),
        subject: ticket.subject.as_deref(),
        raw_subject: ticket.subject.as_deref(),
        // The description is the first comment's body, so it follows its redactions.
        description: first.map_or("", |c| c.body.as_str()),
        priority: ticket.priority.as_deref(),
        status: ticket.status.as_str(),
        recipient: None,
        requester_id: ticket.requester_id,
        submitter_id: ticket.submitter_id,
        assignee_id: ticket.assignee_id,
        organization_id: ticket.organization_id,
        group_id: ticket.group_id,
        collaborator_ids: &ticket.collaborator_ids,
        follower_ids: &[],
        email_cc_ids: &[],
        forum_topic_id: None,
        problem_id: None,
        has_incidents: false,
        is_public: first.is_some_and(|c| c.public),
        due_at: None,
        tags: &ticket.tags,
        custom_fields: &ticket.custom_fields,
        satisfaction_rating: None,
        sharing_agreement_ids: &[],
        custom_status_id: data.custom_status_id(ticket.status),
        fields: &ticket.custom_fields,
        followup_ids: &[],
        ticket_form_id: data.default_ticket_form_id(),
        brand_id: data.default_brand_id(),
        allow_channelback: false,
        allow_attachments: true,
        from_messaging_channel: false,
        generated_timestamp: ticket.updated_at,
    }
}

/// A `deleted_tickets` item: the recorded shape `{id, subject, actor, deleted_at, previous_state}`.
pub fn deleted_ticket(data: &AccountData, ticket: &Ticket) -> Value {
    let (at, actor_id) = match ticket.state {
        TicketState::SoftDeleted { at, actor_id } => (at, actor_id),
        TicketState::Active => (ticket.updated_at, ticket.submitter_id),
    };
    let actor_name = data.user(actor_id).map(|u| u.name.clone()).ok();
    json!({
        "id": ticket.id,
        "subject": ticket.subject,
        "actor": {"id": actor_id, "name": actor_name},
        "deleted_at": iso8601(at),
        "previous_state": ticket.status.as_str(),
    })
}

/// `include=users`: the users these ids name, in the caller's view. A permanently deleted
/// user shows as its scrubbed placeholder ("Permanently Deleted User", no personal fields).
pub fn side_loaded_users(
    data: &AccountData,
    ids: impl IntoIterator<Item = Id>,
    caller: &Caller,
    origin: &str,
) -> Value {
    let mut ids: Vec<Id> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    let users: Vec<Value> = ids
        .into_iter()
        .filter_map(|id| data.user(id).ok())
        .map(|user| super::users::for_caller(data, user, caller, origin).to_value())
        .collect();
    Value::Array(users)
}

/// The user ids a ticket shows.
pub fn ticket_user_ids(ticket: &Ticket) -> Vec<Id> {
    let mut ids = vec![ticket.requester_id, ticket.submitter_id];
    ids.extend(ticket.assignee_id);
    ids.extend(&ticket.collaborator_ids);
    ids
}

/// A ticket as its requester sees it through `/requests` (`RequestObject`).
pub fn request(data: &AccountData, ticket: &Ticket, origin: &str) -> Value {
    let first = ticket.comment_ids.first().and_then(|id| data.comment(*id));
    json!({
        "url": api_url(origin, &format!("requests/{}", ticket.id)),
        "id": ticket.id,
        "status": ticket.status.as_str(),
        "priority": ticket.priority,
        "type": ticket.kind,
        "subject": ticket.subject,
        "description": first.map_or("", |c| c.body.as_str()),
        "organization_id": ticket.organization_id,
        "via": via(&ticket.channel),
        "custom_fields": ticket.custom_fields,
        "requester_id": ticket.requester_id,
        "collaborator_ids": ticket.collaborator_ids,
        "email_cc_ids": [],
        "is_public": first.is_some_and(|c| c.public),
        "due_at": null,
        "can_be_solved_by_me": false,
        "created_at": iso8601(ticket.created_at),
        "updated_at": iso8601(ticket.updated_at),
        "recipient": null,
        "followup_source_id": null,
        "assignee_id": ticket.assignee_id,
        "ticket_form_id": data.default_ticket_form_id(),
        "group_id": ticket.group_id,
        "custom_status_id": data.custom_status_id(ticket.status),
        "solved": matches!(ticket.status, crate::store::tickets::Status::Solved | crate::store::tickets::Status::Closed),
    })
}

/// A suspended ticket (`SuspendedTicketObject`).
pub fn suspended_ticket(
    data: &AccountData,
    held: &crate::store::suspended_tickets::SuspendedTicket,
    origin: &str,
) -> Value {
    json!({
        "url": api_url(origin, &format!("suspended_tickets/{}", held.id)),
        "id": held.id,
        "author": {"id": held.author_id, "name": held.author_name, "email": held.author_email},
        "subject": held.subject,
        "content": held.content,
        "cause": held.cause,
        "message_id": held.message_id,
        "ticket_id": null,
        "recipient": null,
        "created_at": iso8601(held.created_at),
        "updated_at": iso8601(held.updated_at),
        "via": via(&held.channel),
        "brand_id": data.default_brand_id(),
        "attachments": [],
        "error_messages": null,
    })
}
