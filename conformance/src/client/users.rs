//! Users (facts §3.3): <https://developer.zendesk.com/api-reference/ticketing/users/users/>.

use super::{Client, ClientResult, Reply, join_ids};
use serde_json::{Value, json};

impl Client {
    /// `GET /users` with filters and paging parameters (`role`, `page[size]`, `per_page`, …).
    pub async fn list_users(&self, query: &[(&str, String)]) -> ClientResult<Reply> {
        self.get("users", query).await
    }

    /// `GET /users/{id}`.
    pub async fn show_user(&self, id: i64) -> ClientResult<Reply> {
        self.get(&format!("users/{id}"), &[]).await
    }

    /// `GET /users/show_many?ids=…`.
    pub async fn show_many_users(&self, ids: &[i64]) -> ClientResult<Reply> {
        self.get("users/show_many", &[("ids", join_ids(ids))]).await
    }

    /// `GET /users/me`: the caller (an anonymous pseudo-user without credentials).
    pub async fn me(&self) -> ClientResult<Reply> {
        self.get("users/me", &[]).await
    }

    /// `GET /users/count`.
    pub async fn count_users(&self) -> ClientResult<Reply> {
        self.get("users/count", &[]).await
    }

    /// `GET /users/search?query=…`.
    pub async fn search_users(&self, query: &str) -> ClientResult<Reply> {
        self.get("users/search", &[("query", query.to_owned())])
            .await
    }

    /// `GET /users/search?external_id=…`.
    pub async fn search_users_by_external_id(&self, external_id: &str) -> ClientResult<Reply> {
        self.get("users/search", &[("external_id", external_id.to_owned())])
            .await
    }

    /// `GET /users/autocomplete?name=…`.
    pub async fn autocomplete_users(&self, name: &str) -> ClientResult<Reply> {
        self.get("users/autocomplete", &[("name", name.to_owned())])
            .await
    }

    /// `POST /users` with `{"user": user}`: 201 and `Location`.
    pub async fn create_user(&self, user: Value) -> ClientResult<Reply> {
        self.post("users", json!({ "user": user })).await
    }

    /// `POST /users/create_or_update` with `{"user": user}`: 201 created, 200 updated.
    pub async fn create_or_update_user(&self, user: Value) -> ClientResult<Reply> {
        self.post("users/create_or_update", json!({ "user": user }))
            .await
    }

    /// `POST /users/create_many` with `{"users": users}`: a job.
    pub async fn create_many_users(&self, users: Vec<Value>) -> ClientResult<Reply> {
        self.post("users/create_many", json!({ "users": users }))
            .await
    }

    /// `POST /users/create_or_update_many` with `{"users": users}`: a job.
    pub async fn create_or_update_many_users(&self, users: Vec<Value>) -> ClientResult<Reply> {
        self.post("users/create_or_update_many", json!({ "users": users }))
            .await
    }

    /// `PUT /users/{id}` with `{"user": change}`.
    pub async fn update_user(&self, id: i64, change: Value) -> ClientResult<Reply> {
        self.put(&format!("users/{id}"), json!({ "user": change }))
            .await
    }

    /// `PUT /users/update_many?ids=…` with the same `{"user": change}` for all: a job.
    pub async fn update_many_users(&self, ids: &[i64], change: Value) -> ClientResult<Reply> {
        self.send(
            reqwest::Method::PUT,
            "users/update_many",
            &[("ids", join_ids(ids))],
            Some(json!({ "user": change })),
        )
        .await
    }

    /// `PUT /users/update_many` with `{"users": [{"id":…, …}]}`: a job.
    pub async fn update_many_users_batch(&self, users: Vec<Value>) -> ClientResult<Reply> {
        self.put("users/update_many", json!({ "users": users }))
            .await
    }

    /// `DELETE /users/{id}`: soft delete, 200 with the user (`active:false`).
    pub async fn delete_user(&self, id: i64) -> ClientResult<Reply> {
        self.delete(&format!("users/{id}")).await
    }

    /// `DELETE /users/destroy_many?ids=…`: a job.
    pub async fn destroy_many_users(&self, ids: &[i64]) -> ClientResult<Reply> {
        self.send(
            reqwest::Method::DELETE,
            "users/destroy_many",
            &[("ids", join_ids(ids))],
            None,
        )
        .await
    }

    /// `DELETE /users/destroy_many?external_ids=…`: a job.
    pub async fn destroy_many_users_by_external_ids(
        &self,
        external_ids: &[&str],
    ) -> ClientResult<Reply> {
        self.send(
            reqwest::Method::DELETE,
            "users/destroy_many",
            &[("external_ids", external_ids.join(","))],
            None,
        )
        .await
    }

    /// `GET /users/{id}/tickets/{relation}` (`requested`, `ccd`, `assigned`).
    pub async fn user_tickets(
        &self,
        id: i64,
        relation: &str,
        query: &[(&str, String)],
    ) -> ClientResult<Reply> {
        self.get(&format!("users/{id}/tickets/{relation}"), query)
            .await
    }
}
