//! Deleted users (facts §3.4):
//! <https://developer.zendesk.com/api-reference/ticketing/users/users/#list-deleted-users>.

use super::{Client, ClientResult, Reply};

impl Client {
    /// `GET /deleted_users` (cursor or offset paging in `query`).
    pub async fn list_deleted_users(&self, query: &[(&str, String)]) -> ClientResult<Reply> {
        self.get("deleted_users", query).await
    }

    /// `GET /deleted_users/{id}`.
    pub async fn show_deleted_user(&self, id: i64) -> ClientResult<Reply> {
        self.get(&format!("deleted_users/{id}"), &[]).await
    }

    /// `GET /deleted_users/count`.
    pub async fn count_deleted_users(&self) -> ClientResult<Reply> {
        self.get("deleted_users/count", &[]).await
    }

    /// `DELETE /deleted_users/{id}`: permanent deletion of a soft-deleted user.
    pub async fn permanently_delete_user(&self, id: i64) -> ClientResult<Reply> {
        self.delete(&format!("deleted_users/{id}")).await
    }
}
