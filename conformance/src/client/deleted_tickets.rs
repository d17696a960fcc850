//! Deleted tickets (facts §4.3):
//! <https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#list-deleted-tickets>.

use super::{Client, ClientResult, Reply, join_ids};
use reqwest::Method;
use serde_json::json;

impl Client {
    /// `GET /deleted_tickets` (paging in `query`).
    pub async fn list_deleted_tickets(&self, query: &[(&str, String)]) -> ClientResult<Reply> {
        self.get("deleted_tickets", query).await
    }

    /// `PUT /deleted_tickets/{id}/restore`: 200 `{}`.
    pub async fn restore_deleted_ticket(&self, id: i64) -> ClientResult<Reply> {
        self.put(&format!("deleted_tickets/{id}/restore"), json!({}))
            .await
    }

    /// `PUT /deleted_tickets/restore_many?ids=…`.
    pub async fn restore_many_deleted_tickets(&self, ids: &[i64]) -> ClientResult<Reply> {
        self.send(
            Method::PUT,
            "deleted_tickets/restore_many",
            &[("ids", join_ids(ids))],
            Some(json!({})),
        )
        .await
    }

    /// `DELETE /deleted_tickets/{id}`: permanent deletion, a job.
    pub async fn delete_ticket_permanently(&self, id: i64) -> ClientResult<Reply> {
        self.delete(&format!("deleted_tickets/{id}")).await
    }

    /// `DELETE /deleted_tickets/destroy_many?ids=…`: a job.
    pub async fn destroy_many_deleted_tickets(&self, ids: &[i64]) -> ClientResult<Reply> {
        self.send(
            Method::DELETE,
            "deleted_tickets/destroy_many",
            &[("ids", join_ids(ids))],
            None,
        )
        .await
    }
}
