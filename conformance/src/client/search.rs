//! Search (<https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/>)
//! and the users search that shares its engine.

use super::{Client, ClientResult, Reply};

impl Client {
    /// `GET /search?query=` with extra parameters (`sort_by`, `page`, `per_page`, …).
    pub async fn search(&self, query: &str, extra: &[(&str, String)]) -> ClientResult<Reply> {
        let mut params = vec![("query", query.to_owned())];
        params.extend(extra.iter().cloned());
        self.get("search", &params).await
    }

    /// `GET /search/count?query=`.
    pub async fn search_count(&self, query: &str) -> ClientResult<Reply> {
        self.get("search/count", &[("query", query.to_owned())])
            .await
    }

    /// `GET /search/export?query=&filter[type]=&page[size]=` (and `page[after]` to go on).
    pub async fn search_export(
        &self,
        query: &str,
        kind: &str,
        size: usize,
        after: Option<&str>,
    ) -> ClientResult<Reply> {
        let mut params = vec![
            ("query", query.to_owned()),
            ("filter[type]", kind.to_owned()),
            ("page[size]", size.to_string()),
        ];
        if let Some(after) = after {
            params.push(("page[after]", after.to_owned()));
        }
        self.get("search/export", &params).await
    }
}
