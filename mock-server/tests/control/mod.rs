//! Helpers shared by the `control_*` test files (the control API over real HTTP): readers of
//! an account's users, journal and event log.

use crate::common::Client;
use serde_json::Value;

/// Emails of the active users the client's account lists.
pub async fn listed_emails(client: &Client<'_>) -> Vec<String> {
    let reply = client.get("/api/v2/users.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut emails: Vec<String> = reply.json["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|u| u["email"].as_str().unwrap_or_default().to_owned())
        .collect();
    emails.sort();
    emails
}

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

/// The `type` of each event about user `id`.
pub async fn events_about(client: &Client<'_>, id: i64) -> Vec<String> {
    let reply = client.get("/__mock/events").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["events"]
        .as_array()
        .expect("events array")
        .iter()
        .filter(|e| e["user_id"] == id)
        .map(|e| e["type"].as_str().unwrap_or_default().to_owned())
        .collect()
}

pub async fn search_count(client: &Client<'_>, query: &str) -> Value {
    let reply = client
        .get(&format!("/api/v2/users/search.json?query={query}"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["count"].clone()
}
