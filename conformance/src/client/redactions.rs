//! Redaction, three ways (facts §5.3–5.5).

use super::{Client, ClientResult, Reply};
use serde_json::{Value, json};

impl Client {
    /// `PUT /tickets/{id}/comments/{comment_id}/redact` with `{"text": text}`: the legacy
    /// string redaction.
    pub async fn redact_comment_string(
        &self,
        ticket_id: i64,
        comment_id: i64,
        text: &str,
    ) -> ClientResult<Reply> {
        self.put(
            &format!("tickets/{ticket_id}/comments/{comment_id}/redact"),
            json!({ "text": text }),
        )
        .await
    }

    /// `PUT /comment_redactions/{comment_id}` with `{"ticket_id", "html_body"?,
    /// "external_attachment_urls"?}` (pass them in `body`; `ticket_id` is added).
    pub async fn redact_comment(
        &self,
        ticket_id: i64,
        comment_id: i64,
        body: Value,
    ) -> ClientResult<Reply> {
        let mut body = if body.is_object() { body } else { json!({}) };
        body["ticket_id"] = json!(ticket_id);
        self.put(&format!("comment_redactions/{comment_id}"), body)
            .await
    }

    /// `PUT /tickets/{id}/comments/{comment_id}/attachments/{attachment_id}/redact`.
    pub async fn redact_attachment(
        &self,
        ticket_id: i64,
        comment_id: i64,
        attachment_id: i64,
    ) -> ClientResult<Reply> {
        self.put(
            &format!(
                "tickets/{ticket_id}/comments/{comment_id}/attachments/{attachment_id}/redact"
            ),
            json!({}),
        )
        .await
    }
}
