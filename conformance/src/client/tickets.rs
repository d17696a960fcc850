//! Tickets (facts §4.2): <https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/>.

use super::{Client, ClientResult, Reply, join_ids};
use reqwest::Method;
use serde_json::{Value, json};

impl Client {
    /// `GET /tickets` (paging and `sort_by`/`sort_order`/`sort` in `query`).
    pub async fn list_tickets(&self, query: &[(&str, String)]) -> ClientResult<Reply> {
        self.get("tickets", query).await
    }

    /// `GET /tickets/{id}`.
    pub async fn show_ticket(&self, id: i64) -> ClientResult<Reply> {
        self.get(&format!("tickets/{id}"), &[]).await
    }

    /// `GET /tickets/show_many?ids=…`.
    pub async fn show_many_tickets(&self, ids: &[i64]) -> ClientResult<Reply> {
        self.get("tickets/show_many", &[("ids", join_ids(ids))])
            .await
    }

    /// `GET /tickets/count`.
    pub async fn count_tickets(&self) -> ClientResult<Reply> {
        self.get("tickets/count", &[]).await
    }

    /// `POST /tickets` with `{"ticket": ticket}`: 201 with the ticket and its audit.
    pub async fn create_ticket(&self, ticket: Value) -> ClientResult<Reply> {
        self.post("tickets", json!({ "ticket": ticket })).await
    }

    /// `PUT /tickets/{id}` with `{"ticket": change}`.
    pub async fn update_ticket(&self, id: i64, change: Value) -> ClientResult<Reply> {
        self.put(&format!("tickets/{id}"), json!({ "ticket": change }))
            .await
    }

    /// `DELETE /tickets/{id}`: soft delete, 204.
    pub async fn delete_ticket(&self, id: i64) -> ClientResult<Reply> {
        self.delete(&format!("tickets/{id}")).await
    }

    /// `POST /tickets/create_many` with `{"tickets": tickets}`: a job.
    pub async fn create_many_tickets(&self, tickets: Vec<Value>) -> ClientResult<Reply> {
        self.post("tickets/create_many", json!({ "tickets": tickets }))
            .await
    }

    /// `PUT /tickets/update_many?ids=…` with the same `{"ticket": change}` for all: a job.
    pub async fn update_many_tickets(&self, ids: &[i64], change: Value) -> ClientResult<Reply> {
        self.send(
            Method::PUT,
            "tickets/update_many",
            &[("ids", join_ids(ids))],
            Some(json!({ "ticket": change })),
        )
        .await
    }

    /// `PUT /tickets/update_many` with `{"tickets": [{"id":…, …}]}`: a job.
    pub async fn update_many_tickets_batch(&self, tickets: Vec<Value>) -> ClientResult<Reply> {
        self.put("tickets/update_many", json!({ "tickets": tickets }))
            .await
    }

    /// `DELETE /tickets/destroy_many?ids=…`: soft delete in bulk, a job.
    pub async fn destroy_many_tickets(&self, ids: &[i64]) -> ClientResult<Reply> {
        self.send(
            Method::DELETE,
            "tickets/destroy_many",
            &[("ids", join_ids(ids))],
            None,
        )
        .await
    }
}
