//! Requests: tickets as their requesters see them
//! (<https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-requests/>).

use super::{Client, ClientResult, Reply};
use serde_json::{Value, json};

impl Client {
    /// `GET /requests`: the caller's own tickets.
    pub async fn list_requests(&self, query: &[(&str, String)]) -> ClientResult<Reply> {
        self.get("requests", query).await
    }

    /// `GET /requests/{id}`.
    pub async fn show_request(&self, id: i64) -> ClientResult<Reply> {
        self.get(&format!("requests/{id}"), &[]).await
    }

    /// `POST /requests` with `{"request": request}` (anonymous callers name the requester).
    pub async fn create_request(&self, request: Value) -> ClientResult<Reply> {
        self.post("requests", json!({ "request": request })).await
    }

    /// `GET /requests/{id}/comments`: public comments only.
    pub async fn list_request_comments(&self, id: i64) -> ClientResult<Reply> {
        self.get(&format!("requests/{id}/comments"), &[]).await
    }
}
