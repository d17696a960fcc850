//! Comments (`TicketCommentObject`), attachments (`AttachmentObject`) and audits.

use super::api_url;
use super::tickets::via;
use crate::store::AccountData;
use crate::store::attachments::Attachment;
use crate::store::clock::iso8601;
use crate::store::comments::{Audit, AuditEvent, Comment};
use serde_json::{Value, json};

fn metadata() -> Value {
    json!({"system": {}, "custom": {}})
}

/// A comment as the comments endpoints list it (`TicketCommentObject`).
pub fn comment(data: &AccountData, comment: &Comment, origin: &str) -> Value {
    let mut body = comment_core(data, comment, origin);
    body["via"] = via(&comment.channel);
    body["created_at"] = json!(iso8601(comment.created_at));
    body["metadata"] = metadata();
    body
}

/// A comment without `via`, `created_at` and `metadata`: the shape of the recorded 2024 live
/// answer of the redaction endpoints (facts §5.4), and of an audit's Comment event (whose id is
/// the comment's).
pub fn comment_core(data: &AccountData, comment: &Comment, origin: &str) -> Value {
    json!({
        "id": comment.id,
        "type": "Comment",
        "author_id": comment.author_id,
        "body": comment.body,
        "html_body": comment.html_body,
        "plain_body": comment.plain_body(),
        "public": comment.public,
        "attachments": attachments(data, &comment.attachment_ids, origin),
        "audit_id": comment.audit_id,
    })
}

fn attachments(data: &AccountData, ids: &[i64], origin: &str) -> Vec<Value> {
    ids.iter()
        .filter_map(|id| data.attachment_record(*id))
        .map(|a| attachment(a, origin))
        .collect()
}

/// The URL that serves an attachment's bytes.
pub fn content_url(attachment: &Attachment, origin: &str) -> String {
    let name: String =
        serde_urlencoded::to_string([("name", attachment.file_name.as_str())]).unwrap_or_default();
    format!("{origin}/attachments/token/{}/?{name}", attachment.token)
}

pub fn attachment(attachment: &Attachment, origin: &str) -> Value {
    let content_url = content_url(attachment, origin);
    json!({
        "url": api_url(origin, &format!("attachments/{}", attachment.id)),
        "id": attachment.id,
        "file_name": attachment.file_name,
        "content_url": content_url,
        "mapped_content_url": content_url,
        "content_type": attachment.content_type,
        "size": attachment.content.len(),
        "width": null,
        "height": null,
        "inline": attachment.inline,
        "deleted": false,
        "malware_access_override": false,
        "malware_scan_result": "malware_not_found",
        "thumbnails": [],
    })
}

pub fn audit(data: &AccountData, audit: &Audit, origin: &str) -> Value {
    let events: Vec<Value> = audit
        .events
        .iter()
        .map(|(id, event)| match event {
            AuditEvent::Comment { comment_id } => match data.comment(*comment_id) {
                // The event's id is the comment's: the comment as the redaction answers show it.
                Some(c) => comment_core(data, c, origin),
                None => json!({"id": id, "type": "Comment"}),
            },
            AuditEvent::Create { field, value } => json!({"id": id, "type": "Create", "value": value, "field_name": field}),
            AuditEvent::Change(change) => {
                json!({"id": id, "type": "Change", "value": change.value, "field_name": change.field, "previous_value": change.previous_value})
            }
        })
        .collect();
    json!({
        "id": audit.id,
        "ticket_id": audit.ticket_id,
        "created_at": iso8601(audit.created_at),
        "author_id": audit.author_id,
        "metadata": metadata(),
        "via": via("api"),
        "events": events,
    })
}
