//! Tickets as the incremental exports list them: a live ticket is its `TicketObject`; a deleted
//! one is that object with `status: "deleted"` (docs, "Excluding deleted tickets") and its
//! deletion as `generated_timestamp`; a permanently deleted one is a tombstone.

use super::api_url;
use crate::store::AccountData;
use crate::store::clock::iso8601;
use crate::store::incremental::ExportedTicket;
use crate::store::ticket_deletion::TicketRecord;
use serde_json::{Value, json};

pub fn ticket(data: &AccountData, item: &ExportedTicket<'_>, origin: &str) -> Value {
    match item {
        ExportedTicket::Live(ticket) => super::tickets::ticket(data, ticket, origin).to_value(),
        ExportedTicket::Deleted(ticket) => {
            let mut view = super::tickets::ticket(data, ticket, origin).to_value();
            view["status"] = json!("deleted");
            view["generated_timestamp"] = json!(item.changed_at());
            view
        }
        ExportedTicket::Scrubbed(record) => scrubbed(data, record, origin),
    }
}

/// A permanently deleted ticket: the `TicketObject` keys, in the live order, holding only what
/// the anonymous record keeps — id, creation, deletion and former status category. Subject,
/// description, people, tags and fields are gone (null or empty), as is the channel (INFERRED:
/// what live Zendesk shows of a scrubbed ticket is not documented).
fn scrubbed(data: &AccountData, record: &TicketRecord, origin: &str) -> Value {
    json!({
        "url": api_url(origin, &format!("tickets/{}", record.id)),
        "id": record.id,
        "external_id": null,
        "via": null,
        "created_at": iso8601(record.created_at),
        "updated_at": iso8601(record.deleted_at),
        "type": null,
        "subject": null,
        "raw_subject": null,
        "description": "",
        "priority": null,
        "status": "deleted",
        "recipient": null,
        "requester_id": null,
        "submitter_id": null,
        "assignee_id": null,
        "organization_id": null,
        "group_id": null,
        "collaborator_ids": [],
        "follower_ids": [],
        "email_cc_ids": [],
        "forum_topic_id": null,
        "problem_id": null,
        "has_incidents": false,
        "is_public": false,
        "due_at": null,
        "tags": [],
        "custom_fields": [],
        "satisfaction_rating": null,
        "sharing_agreement_ids": [],
        "custom_status_id": data.custom_status_id(record.previous_status),
        "fields": [],
        "followup_ids": [],
        "ticket_form_id": data.default_ticket_form_id(),
        "brand_id": data.default_brand_id(),
        "allow_channelback": false,
        "allow_attachments": true,
        "from_messaging_channel": false,
        "generated_timestamp": record.deleted_at,
    })
}
