//! Suspended tickets (facts §3.6):
//! <https://developer.zendesk.com/api-reference/ticketing/tickets/suspended_tickets/>.

use super::{Client, ClientResult, Reply, join_ids};
use reqwest::Method;
use serde_json::json;

impl Client {
    /// `GET /suspended_tickets` (paging in `query`).
    pub async fn list_suspended_tickets(&self, query: &[(&str, String)]) -> ClientResult<Reply> {
        self.get("suspended_tickets", query).await
    }

    /// `GET /suspended_tickets/{id}`.
    pub async fn show_suspended_ticket(&self, id: i64) -> ClientResult<Reply> {
        self.get(&format!("suspended_tickets/{id}"), &[]).await
    }

    /// `PUT /suspended_tickets/{id}/recover`: the caller becomes the requester.
    pub async fn recover_suspended_ticket(&self, id: i64) -> ClientResult<Reply> {
        self.put(&format!("suspended_tickets/{id}/recover"), json!({}))
            .await
    }

    /// `PUT /suspended_tickets/recover_many?ids=…`.
    pub async fn recover_many_suspended_tickets(&self, ids: &[i64]) -> ClientResult<Reply> {
        self.send(
            Method::PUT,
            "suspended_tickets/recover_many",
            &[("ids", join_ids(ids))],
            Some(json!({})),
        )
        .await
    }

    /// `DELETE /suspended_tickets/{id}`: 204.
    pub async fn delete_suspended_ticket(&self, id: i64) -> ClientResult<Reply> {
        self.delete(&format!("suspended_tickets/{id}")).await
    }

    /// `DELETE /suspended_tickets/destroy_many?ids=…` (suspended-ticket ids).
    pub async fn destroy_many_suspended_tickets(&self, ids: &[i64]) -> ClientResult<Reply> {
        self.send(
            Method::DELETE,
            "suspended_tickets/destroy_many",
            &[("ids", join_ids(ids))],
            None,
        )
        .await
    }
}
