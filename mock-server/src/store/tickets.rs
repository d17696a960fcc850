//! Tickets: the record, the input shape, and the create/update rules (facts §4.1–4.2).
//! Comments and audits live in [`super::comments`], deletion in [`super::ticket_deletion`].

use super::account::AccountData;
use super::clock::Timestamp;
use super::comments::{AuditEvent, Change, CommentInput};
use super::events::Event;
use super::identities::IdentityType;
use super::users::{Role, UserInput, lenient_bool, normalize_tags};
use super::{Caller, Id};
use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// Ticket status, in Zendesk's order (`status<solved` compares by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    New,
    Open,
    Pending,
    Hold,
    Solved,
    Closed,
}

impl Status {
    pub fn parse(text: &str) -> ApiResult<Self> {
        serde_json::from_value(Value::String(text.trim().to_lowercase()))
            .map_err(|_| ApiError::record_invalid("status", format!("Status: {text} is not valid")))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Open => "open",
            Self::Pending => "pending",
            Self::Hold => "hold",
            Self::Solved => "solved",
            Self::Closed => "closed",
        }
    }
}

/// Whether a ticket is live or in the Deleted Tickets view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum TicketState {
    Active,
    /// Soft-deleted: 404 on show, listed in `/deleted_tickets` until restored or scrubbed.
    SoftDeleted {
        at: Timestamp,
        actor_id: Id,
    },
}

/// A ticket record. `description` is not stored: it is the first comment's body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ticket {
    pub id: Id,
    pub external_id: Option<String>,
    pub kind: Option<String>,
    pub subject: Option<String>,
    pub priority: Option<String>,
    pub status: Status,
    pub requester_id: Id,
    pub submitter_id: Id,
    pub assignee_id: Option<Id>,
    pub organization_id: Option<Id>,
    pub group_id: Option<Id>,
    pub collaborator_ids: Vec<Id>,
    pub tags: Vec<String>,
    pub custom_fields: Vec<Value>,
    /// `via.channel`: `api`, `web`, `email`.
    pub channel: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub solved_at: Option<Timestamp>,
    pub state: TicketState,
    /// Comment ids, oldest first.
    pub comment_ids: Vec<Id>,
}

impl Ticket {
    pub fn is_active(&self) -> bool {
        self.state == TicketState::Active
    }
}

/// `ticket.requester`: an id, an email, or `{name, email, locale_id}` (facts §4.1).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RequesterInput {
    Id(Id),
    Email(String),
    Person {
        name: Option<String>,
        email: Option<String>,
        locale_id: Option<i64>,
    },
}

/// The `ticket` object clients send to create and update.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TicketInput {
    pub id: Option<Id>,
    pub subject: Option<String>,
    pub comment: Option<CommentInput>,
    /// On create, may stand in for `comment.body`.
    pub description: Option<String>,
    pub requester_id: Option<Id>,
    pub requester: Option<RequesterInput>,
    pub submitter_id: Option<Id>,
    #[serde(
        default,
        deserialize_with = "super::users::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub assignee_id: Option<Option<Id>>,
    pub status: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::users::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub priority: Option<Option<String>>,
    #[serde(
        rename = "type",
        default,
        deserialize_with = "super::users::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "super::users::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub external_id: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "super::users::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub organization_id: Option<Option<Id>>,
    #[serde(
        default,
        deserialize_with = "super::users::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_id: Option<Option<Id>>,
    pub tags: Option<Vec<String>>,
    pub additional_tags: Option<Vec<String>>,
    pub remove_tags: Option<Vec<String>>,
    pub collaborator_ids: Option<Vec<Id>>,
    pub custom_fields: Option<Vec<Value>>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub safe_update: Option<bool>,
    pub updated_stamp: Option<String>,
    /// Keys Zendesk would drop with an `X-Zendesk-API-Warn` header.
    #[serde(flatten)]
    pub unknown: Map<String, Value>,
}

impl AccountData {
    /// `POST /tickets`: resolves (or creates) the requester, checks the rules, creates the
    /// ticket with its first comment and a `Create` audit. Returns (ticket id, audit id).
    pub fn create_ticket(
        &mut self,
        caller: &Caller,
        input: &TicketInput,
        channel: &str,
    ) -> ApiResult<(Id, Id)> {
        caller.require_staff()?;
        let comment = first_comment(input)?;
        self.check_new_comment(None, &comment)?;
        let assignee_id = input.assignee_id.flatten();
        if let Some(assignee) = assignee_id {
            self.check_assignee(assignee)?;
        }
        let status = match input.status.as_deref() {
            Some(text) => Status::parse(text)?,
            // Status defaults to new, or open once an assignee is set (old docs).
            None if assignee_id.is_some() => Status::Open,
            None => Status::New,
        };
        let assignee_id =
            self.assignee_for(caller, status, assignee_id, input.assignee_id.is_some())?;
        // Last of the checks, since it may create the requester: nothing is written before.
        let requester_id = self.resolve_requester(caller, input)?;
        let requester = self.user(requester_id)?;
        if requester.suspended && self.keeps(super::BrokenRule::SuspendedRequester) {
            return Err(ApiError::record_invalid(
                "requester",
                format!("Requester: {} is suspended.", requester.name),
            ));
        }
        let now = self.now();
        let id = self.ids.next_ticket_id();
        let ticket = Ticket {
            id,
            external_id: input.external_id.clone().flatten(),
            kind: input.kind.clone().flatten(),
            subject: input.subject.clone(),
            priority: input.priority.clone().flatten(),
            status,
            requester_id,
            submitter_id: input.submitter_id.unwrap_or(caller.user_id),
            assignee_id,
            organization_id: input
                .organization_id
                .flatten()
                .or(self.user(requester_id)?.organization_id),
            group_id: input.group_id.flatten(),
            collaborator_ids: input.collaborator_ids.clone().unwrap_or_default(),
            tags: normalize_tags(input.tags.as_deref().unwrap_or_default()),
            custom_fields: input.custom_fields.clone().unwrap_or_default(),
            channel: channel.to_owned(),
            created_at: now,
            updated_at: now,
            solved_at: matches!(status, Status::Solved | Status::Closed).then_some(now),
            state: TicketState::Active,
            comment_ids: Vec::new(),
        };
        let mut events = create_events(&ticket);
        self.tickets.insert(id, ticket);
        let audit_id = self.ids.next_id();
        let author = comment.author_id.unwrap_or(caller.user_id);
        let comment_event = self.add_comment(id, audit_id, author, &comment, true)?;
        events.insert(0, comment_event);
        self.record_audit(audit_id, id, caller.user_id, events);
        self.events
            .push(now, Event::TicketCreated { ticket_id: id });
        Ok((id, audit_id))
    }

    /// `PUT /tickets/{id}`: applies the present fields and an optional new comment, recording
    /// a `Change` event per changed field. Closed tickets refuse every update (facts §2).
    pub fn update_ticket(
        &mut self,
        caller: &Caller,
        id: Id,
        input: &TicketInput,
    ) -> ApiResult<Option<Id>> {
        caller.require_staff()?;
        let before = self.active_ticket(id)?.clone();
        if before.status == Status::Closed && self.keeps(super::BrokenRule::ClosedTicketUpdate) {
            return Err(closed_prevents_update());
        }
        if input.safe_update == Some(true)
            && input
                .updated_stamp
                .as_deref()
                .is_some_and(|stamp| stamp != super::clock::iso8601(before.updated_at))
        {
            return Err(ApiError::Conflict);
        }
        let status = input
            .status
            .as_deref()
            .map(Status::parse)
            .transpose()?
            .unwrap_or(before.status);
        let assignee_id = match input.assignee_id {
            Some(assignee) => assignee,
            None => before.assignee_id,
        };
        if let Some(assignee) = assignee_id.filter(|a| Some(*a) != before.assignee_id) {
            self.check_assignee(assignee)?;
        }
        let explicit_null = input.assignee_id == Some(None);
        let assignee_id = self.assignee_for(
            caller,
            status,
            assignee_id,
            explicit_null || input.assignee_id.is_some(),
        )?;
        if let Some(comment) = &input.comment {
            self.check_new_comment(Some(id), comment)?;
        }
        let now = self.now();
        let mut after = before.clone();
        after.status = status;
        after.assignee_id = assignee_id;
        if let Some(subject) = &input.subject {
            after.subject = Some(subject.clone());
        }
        if let Some(priority) = &input.priority {
            after.priority.clone_from(priority);
        }
        if let Some(kind) = &input.kind {
            after.kind.clone_from(kind);
        }
        if let Some(external_id) = &input.external_id {
            after.external_id.clone_from(external_id);
        }
        if let Some(group_id) = input.group_id {
            after.group_id = group_id;
        }
        if let Some(organization_id) = input.organization_id {
            after.organization_id = organization_id;
        }
        if let Some(requester_id) = input.requester_id {
            self.user(requester_id)
                .ok()
                .filter(|u| u.is_active())
                .ok_or_else(invalid_requester)?;
            after.requester_id = requester_id;
        }
        if let Some(tags) = &input.tags {
            after.tags = normalize_tags(tags);
        }
        if let Some(extra) = &input.additional_tags {
            let extra = normalize_tags(extra);
            after
                .tags
                .extend(extra.into_iter().filter(|t| !before.tags.contains(t)));
        }
        if let Some(remove) = &input.remove_tags {
            let remove = normalize_tags(remove);
            after.tags.retain(|t| !remove.contains(t));
        }
        if let Some(ids) = &input.collaborator_ids {
            after.collaborator_ids.clone_from(ids);
        }
        if let Some(fields) = &input.custom_fields {
            after.custom_fields.clone_from(fields);
        }
        if status == Status::Solved && before.status != Status::Solved {
            after.solved_at = Some(now);
        }
        let mut events = change_events(&before, &after);
        if events.is_empty() && input.comment.is_none() {
            return Ok(None);
        }
        after.updated_at = now;
        self.tickets.insert(id, after);
        let audit_id = self.ids.next_id();
        if let Some(comment) = &input.comment {
            let author = comment.author_id.unwrap_or(caller.user_id);
            events.insert(0, self.add_comment(id, audit_id, author, comment, false)?);
        }
        self.record_audit(audit_id, id, caller.user_id, events);
        self.events
            .push(now, Event::TicketUpdated { ticket_id: id });
        if status != before.status {
            self.events.push(
                now,
                Event::TicketStatusChanged {
                    ticket_id: id,
                    from: before.status,
                    to: status,
                },
            );
        }
        Ok(Some(audit_id))
    }

    /// An active (not soft-deleted) ticket; soft-deleted tickets are 404 (RB-live ticket_spec).
    /// Marks a ticket changed at `now` by a write that is not a ticket update (a redaction, a
    /// restore), so `updated>` searches and incremental exports see it (INFERRED: such writes
    /// add audit events on Zendesk, which update the ticket).
    pub(crate) fn touch_ticket(&mut self, id: Id, now: super::clock::Timestamp) {
        if let Some(ticket) = self.tickets.get_mut(&id) {
            ticket.updated_at = ticket.updated_at.max(now);
        }
    }

    pub fn active_ticket(&self, id: Id) -> ApiResult<&Ticket> {
        self.tickets
            .get(&id)
            .filter(|t| t.is_active())
            .ok_or(ApiError::RecordNotFound)
    }

    /// How many tickets `user_id` requests that are not closed (soft-deleted ones excluded):
    /// the guard that blocks deleting the user (HC:4408821737498, design.md).
    pub fn unclosed_requested_tickets(&self, user_id: Id) -> usize {
        self.tickets
            .values()
            .filter(|t| t.is_active() && t.requester_id == user_id && t.status != Status::Closed)
            .count()
    }

    /// The requester: `requester_id`, else `requester` (id, email, or {name, email} — an unknown
    /// email creates an end user), else the caller (Zendesk's default).
    fn resolve_requester(&mut self, caller: &Caller, input: &TicketInput) -> ApiResult<Id> {
        let by_id = |data: &Self, id: Id| {
            data.user(id)
                .ok()
                .filter(|u| u.is_active())
                .map(|u| u.id)
                .ok_or_else(invalid_requester)
        };
        match (&input.requester_id, &input.requester) {
            (Some(id), _) | (None, Some(RequesterInput::Id(id))) => by_id(self, *id),
            (None, Some(RequesterInput::Email(email))) => {
                self.find_or_create_requester(caller, None, email)
            }
            (None, Some(RequesterInput::Person { name, email, .. })) => match email {
                Some(email) => self.find_or_create_requester(caller, name.as_deref(), email),
                None => Err(invalid_requester()),
            },
            (None, None) => Ok(caller.user_id),
        }
    }

    fn find_or_create_requester(
        &mut self,
        caller: &Caller,
        name: Option<&str>,
        email: &str,
    ) -> ApiResult<Id> {
        if let Some(id) = self.active_user_by_identity(IdentityType::Email, email) {
            return Ok(id);
        }
        // A new requester named by the email's local part when no name is given.
        let name = match name {
            Some(name) if name.trim().is_empty() => {
                return Err(ApiError::record_invalid(
                    "requester",
                    "Requester: Name:  is too short (minimum is 1 character)",
                ));
            }
            Some(name) => name.to_owned(),
            None => email.split('@').next().unwrap_or(email).to_owned(),
        };
        let input = UserInput {
            name: Some(name),
            email: Some(email.to_owned()),
            ..UserInput::default()
        };
        self.create_user(Some(caller), &input).map_err(|e| match e {
            ApiError::RecordInvalid(_) => {
                ApiError::record_invalid("requester", format!("Requester: {}", e.summary()))
            }
            other => other,
        })
    }

    fn check_assignee(&self, assignee: Id) -> ApiResult<()> {
        match self.users.get(&assignee) {
            Some(user) if user.is_active() && user.role.is_staff() => Ok(()),
            _ => Err(ApiError::record_invalid(
                "assignee_id",
                "Assignee: is not an agent",
            )),
        }
    }

    /// Solved and closed tickets need an assignee ("A ticket must have an assignee to be
    /// solved", old docs). When none is named, the calling agent is assigned, as Zendesk's agent
    /// interface does; an explicit `assignee_id: null` with a solving status is refused.
    fn assignee_for(
        &self,
        caller: &Caller,
        status: Status,
        assignee: Option<Id>,
        explicit: bool,
    ) -> ApiResult<Option<Id>> {
        if assignee.is_some() || !matches!(status, Status::Solved | Status::Closed) {
            return Ok(assignee);
        }
        if explicit || caller.role == Role::EndUser {
            return Err(ApiError::record_invalid(
                "assignee_id",
                "Assignee: is required when a ticket is solved",
            ));
        }
        Ok(Some(caller.user_id))
    }
}

/// The first comment of a new ticket: `comment`, or `description` standing in for its body.
fn first_comment(input: &TicketInput) -> ApiResult<CommentInput> {
    let comment = match (&input.comment, &input.description) {
        (Some(comment), _) => comment.clone(),
        (None, Some(description)) => CommentInput {
            body: Some(description.clone()),
            ..CommentInput::default()
        },
        (None, None) => CommentInput::default(),
    };
    comment
        .check()
        .map_err(|_| ApiError::record_invalid("description", "Description: cannot be blank"))?;
    Ok(comment)
}

/// 422 for every update of a closed ticket (recorded body, facts §2).
pub fn closed_prevents_update() -> ApiError {
    ApiError::record_invalid("status", "Status: closed prevents ticket update")
}

fn invalid_requester() -> ApiError {
    ApiError::record_invalid("requester", "Requester: is invalid")
}

/// `Create` audit events for the fields a new ticket was given.
/// A Create event per audited field, null ones included, as live audits list them.
fn create_events(ticket: &Ticket) -> Vec<AuditEvent> {
    fields(ticket)
        .into_iter()
        .map(|(field, value)| AuditEvent::Create {
            field: field.into(),
            value,
        })
        .collect()
}

/// `Change` events for every field that differs.
fn change_events(before: &Ticket, after: &Ticket) -> Vec<AuditEvent> {
    fields(before)
        .into_iter()
        .zip(fields(after))
        .filter(|((_, old), (_, new))| old != new)
        .map(|((field, previous_value), (_, value))| {
            AuditEvent::Change(Box::new(Change {
                field: field.into(),
                value,
                previous_value,
            }))
        })
        .collect()
}

/// The names of the audited fields, in `fields`'s order.
pub const AUDITED_FIELDS: [&str; 10] = [
    "subject",
    "status",
    "priority",
    "type",
    "requester_id",
    "assignee_id",
    "group_id",
    "organization_id",
    "tags",
    "external_id",
];

/// The audited fields, as audit events name them.
fn fields(ticket: &Ticket) -> Vec<(&'static str, Value)> {
    vec![
        ("subject", json!(ticket.subject)),
        ("status", json!(ticket.status.as_str())),
        ("priority", json!(ticket.priority)),
        ("type", json!(ticket.kind)),
        // Live audits write ids as strings ("requester_id": "6164039664282").
        ("requester_id", json!(ticket.requester_id.to_string())),
        (
            "assignee_id",
            json!(ticket.assignee_id.map(|id| id.to_string())),
        ),
        ("group_id", json!(ticket.group_id.map(|id| id.to_string()))),
        (
            "organization_id",
            json!(ticket.organization_id.map(|id| id.to_string())),
        ),
        ("tags", json!(ticket.tags)),
        ("external_id", json!(ticket.external_id)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn audited_fields_are_named_as_listed_and_read_back_without_allocating() {
        let ticket = Ticket {
            id: 1,
            external_id: None,
            kind: Some("task".to_owned()),
            subject: Some("Hi".to_owned()),
            priority: None,
            status: Status::New,
            requester_id: 2,
            submitter_id: 2,
            assignee_id: None,
            organization_id: None,
            group_id: None,
            collaborator_ids: Vec::new(),
            tags: vec!["vip".to_owned()],
            custom_fields: Vec::new(),
            channel: "api".to_owned(),
            created_at: 0,
            updated_at: 0,
            solved_at: None,
            state: TicketState::Active,
            comment_ids: Vec::new(),
        };
        let names: Vec<&str> = fields(&ticket).iter().map(|(name, _)| *name).collect();
        assert_eq!(names, AUDITED_FIELDS);
        for event in create_events(&ticket) {
            assert!(matches!(
                &event,
                AuditEvent::Create {
                    field: Cow::Borrowed(_),
                    ..
                }
            ));
            let back: AuditEvent =
                serde_json::from_value(serde_json::to_value(&event).expect("JSON")).expect("back");
            assert!(matches!(
                &back,
                AuditEvent::Create {
                    field: Cow::Borrowed(_),
                    ..
                }
            ));
            assert_eq!(back, event);
        }
        // A name the mock never writes is kept as written.
        let other: AuditEvent = serde_json::from_value(
            json!({"Change": {"field": "custom", "value": 1, "previous_value": 2}}),
        )
        .expect("an event");
        assert!(matches!(&other, AuditEvent::Change(change) if change.field == "custom"));
        assert!(
            matches!(&other, AuditEvent::Change(change) if matches!(change.field, Cow::Owned(_)))
        );
        // Every event as small as a `Create`.
        let create = std::mem::size_of::<(crate::store::comments::FieldName, Value)>();
        assert!(std::mem::size_of::<AuditEvent>() <= create + 8);
    }
}
