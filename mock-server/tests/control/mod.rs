//! Helpers shared by the `control_*` test files (the control API over real HTTP): readers of
//! an account's journal and of user search counts.

use crate::common::Client;
use serde_json::Value;

/// `(method, path, status)` of each journal entry.
pub async fn journal(client: &Client<'_>) -> Vec<(String, String, u64)> {
    let reply = client.get("/__mock/journal").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["journal"]
        .as_array()
        .expect("journal array")
        .iter()
        .map(|e| {
            (
                e["method"].as_str().unwrap_or_default().to_owned(),
                e["path"].as_str().unwrap_or_default().to_owned(),
                e["status"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

pub async fn search_count(client: &Client<'_>, query: &str) -> Value {
    let reply = client
        .get(&format!("/api/v2/users/search.json?query={query}"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["count"].clone()
}
