//! Ticket comments and audits (facts §5.2):
//! <https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/>.
//! Comments are created through a ticket create or update (`ticket.comment`).

use super::{Client, ClientResult, Reply};
use serde_json::json;

impl Client {
    /// `GET /tickets/{id}/comments` (paging, `sort`, `include_inline_images` in `query`).
    pub async fn list_comments(
        &self,
        ticket_id: i64,
        query: &[(&str, String)],
    ) -> ClientResult<Reply> {
        self.get(&format!("tickets/{ticket_id}/comments"), query)
            .await
    }

    /// `GET /tickets/{id}/comments/count`.
    pub async fn count_comments(&self, ticket_id: i64) -> ClientResult<Reply> {
        self.get(&format!("tickets/{ticket_id}/comments/count"), &[])
            .await
    }

    /// `PUT /tickets/{id}/comments/{comment_id}/make_private`.
    pub async fn make_comment_private(
        &self,
        ticket_id: i64,
        comment_id: i64,
    ) -> ClientResult<Reply> {
        self.put(
            &format!("tickets/{ticket_id}/comments/{comment_id}/make_private"),
            json!({}),
        )
        .await
    }

    /// `GET /tickets/{id}/audits`.
    pub async fn list_audits(
        &self,
        ticket_id: i64,
        query: &[(&str, String)],
    ) -> ClientResult<Reply> {
        self.get(&format!("tickets/{ticket_id}/audits"), query)
            .await
    }
}
