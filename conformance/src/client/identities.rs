//! User identities (facts §3.5):
//! <https://developer.zendesk.com/api-reference/ticketing/users/user_identities/>.

use super::{Client, ClientResult, Reply};
use serde_json::{Value, json};

impl Client {
    /// `GET /users/{user_id}/identities` (cursor paging; `type[]` filter in `query`).
    pub async fn list_identities(
        &self,
        user_id: i64,
        query: &[(&str, String)],
    ) -> ClientResult<Reply> {
        self.get(&format!("users/{user_id}/identities"), query)
            .await
    }

    /// `GET /end_users/{user_id}/identities`: the end-user path.
    pub async fn list_end_user_identities(&self, user_id: i64) -> ClientResult<Reply> {
        self.get(&format!("end_users/{user_id}/identities"), &[])
            .await
    }

    /// `GET /users/{user_id}/identities/{id}`.
    pub async fn show_identity(&self, user_id: i64, id: i64) -> ClientResult<Reply> {
        self.get(&format!("users/{user_id}/identities/{id}"), &[])
            .await
    }

    /// `POST /users/{user_id}/identities` with `{"identity": identity}`: 201.
    pub async fn create_identity(&self, user_id: i64, identity: Value) -> ClientResult<Reply> {
        self.post(
            &format!("users/{user_id}/identities"),
            json!({ "identity": identity }),
        )
        .await
    }

    /// `PUT /users/{user_id}/identities/{id}` with `{"identity": change}`.
    pub async fn update_identity(
        &self,
        user_id: i64,
        id: i64,
        change: Value,
    ) -> ClientResult<Reply> {
        self.put(
            &format!("users/{user_id}/identities/{id}"),
            json!({ "identity": change }),
        )
        .await
    }

    /// `DELETE /users/{user_id}/identities/{id}`: 204.
    pub async fn delete_identity(&self, user_id: i64, id: i64) -> ClientResult<Reply> {
        self.delete(&format!("users/{user_id}/identities/{id}"))
            .await
    }

    /// `PUT /users/{user_id}/identities/{id}/make_primary`: 200 with the whole list.
    pub async fn make_identity_primary(&self, user_id: i64, id: i64) -> ClientResult<Reply> {
        self.put(
            &format!("users/{user_id}/identities/{id}/make_primary"),
            json!({}),
        )
        .await
    }

    /// `PUT /users/{user_id}/identities/{id}/verify`.
    pub async fn verify_identity(&self, user_id: i64, id: i64) -> ClientResult<Reply> {
        self.put(
            &format!("users/{user_id}/identities/{id}/verify"),
            json!({}),
        )
        .await
    }

    /// `PUT /users/{user_id}/identities/{id}/request_verification`: 200, empty.
    pub async fn request_identity_verification(
        &self,
        user_id: i64,
        id: i64,
    ) -> ClientResult<Reply> {
        self.put(
            &format!("users/{user_id}/identities/{id}/request_verification"),
            json!({}),
        )
        .await
    }
}
