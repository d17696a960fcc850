//! Incremental exports
//! (<https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/>).

use super::{Client, ClientResult, Reply};

impl Client {
    /// `GET /incremental/{tickets|users}/cursor?start_time=` (or `cursor=` to go on).
    pub async fn incremental_cursor(
        &self,
        resource: &str,
        start_time: Option<i64>,
        cursor: Option<&str>,
    ) -> ClientResult<Reply> {
        let mut params = Vec::new();
        if let Some(start) = start_time {
            params.push(("start_time", start.to_string()));
        }
        if let Some(cursor) = cursor {
            params.push(("cursor", cursor.to_owned()));
        }
        self.get(&format!("incremental/{resource}/cursor"), &params)
            .await
    }

    /// `GET /incremental/{tickets|users}?start_time=` (time-based).
    pub async fn incremental_time(&self, resource: &str, start_time: i64) -> ClientResult<Reply> {
        self.get(
            &format!("incremental/{resource}"),
            &[("start_time", start_time.to_string())],
        )
        .await
    }
}
