//! Uploads and attachments (facts §5.5):
//! <https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-attachments/>.

use super::{Client, ClientResult, Reply};

impl Client {
    /// `POST /uploads?filename=…[&token=…]` with the raw bytes: 201 `{"upload":{"token",…}}`.
    /// The token then goes in a comment's `uploads`.
    pub async fn upload(
        &self,
        file_name: &str,
        content_type: &str,
        bytes: Vec<u8>,
        token: Option<&str>,
    ) -> ClientResult<Reply> {
        let mut query = vec![("filename", file_name.to_owned())];
        if let Some(token) = token {
            query.push(("token", token.to_owned()));
        }
        self.post_bytes("uploads", &query, content_type, bytes)
            .await
    }

    /// `DELETE /uploads/{token}`: 204.
    pub async fn delete_upload(&self, token: &str) -> ClientResult<Reply> {
        self.delete(&format!("uploads/{token}")).await
    }

    /// `GET /attachments/{id}`.
    pub async fn show_attachment(&self, id: i64) -> ClientResult<Reply> {
        self.get(&format!("attachments/{id}"), &[]).await
    }

    /// `GET {content_url}`: the attachment's bytes (as text in the reply).
    pub async fn attachment_content(&self, content_url: &str) -> ClientResult<Reply> {
        self.get(content_url, &[]).await
    }
}
