//! Shared helpers of the search suites.

#![allow(dead_code)]

use super::common::{Client, Mock, Reply};
use serde_json::{Value, json};

/// Percent-encodes a query value.
pub fn q(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `GET /search?query=` as `client`.
pub async fn search(client: &Client<'_>, query: &str) -> Reply {
    client
        .get(&format!("/api/v2/search.json?query={}", q(query)))
        .await
}

/// The subjects (tickets) and names (users) of a search reply, in order, as `kind:label`.
pub fn labels(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, 200, "search failed: {}", reply.text);
    reply.json["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results: {}", reply.text))
        .iter()
        .map(|r| match r["result_type"].as_str() {
            Some("ticket") => format!("ticket:{}", r["subject"].as_str().unwrap_or("")),
            Some("user") => format!("user:{}", r["name"].as_str().unwrap_or("")),
            other => panic!("unexpected result_type {other:?}: {r}"),
        })
        .collect()
}

/// The same labels, sorted, for set comparisons.
pub fn label_set(reply: &Reply) -> Vec<String> {
    let mut labels = labels(reply);
    labels.sort();
    labels
}

/// A world of people and tickets that the query tests search.
pub fn world() -> Value {
    json!({
        "users": [
            {"ref": "agent", "name": "Alex Agent", "email": "alex@support.example", "role": "agent"},
            {"ref": "jane", "name": "Jane Roe", "email": "jane.roe@example.org", "phone": "+1 202 555 0100",
             "external_id": "CRM-42", "tags": ["vip"], "notes": "Prefers email",
             "identities": [{"type": "email", "value": "jroe@home.example"}]},
            {"ref": "namesake", "name": "Jane Roe", "email": "jane.roe@elsewhere.example"},
            {"ref": "tip", "name": "Tip Top", "email": "tip@example.net"},
            {"ref": "desk", "name": "Desk Top", "email": "desk@example.net"}
        ],
        "tickets": [
            {"subject": "Tip-Top Mops", "requester": "tip", "status": "open", "priority": "high",
             "tags": ["premium_support"], "created_at": "2024-01-10T09:00:00Z",
             "comments": [{"body": "My mop broke. Call me at +1 202 555 0100."}]},
            {"subject": "Desktop Solutions", "requester": "desk", "status": "pending", "priority": "low",
             "created_at": "2024-02-10T09:00:00Z",
             "comments": [{"body": "The desktop app crashes on start."}]},
            {"subject": "Topology question", "requester": "jane", "status": "solved", "assignee": "agent",
             "priority": "normal", "created_at": "2024-03-10T09:00:00Z",
             "comments": [{"body": "How does the network topology work?"},
                          {"body": "Jane Roe wrote in about the topology.", "public": false}]},
            {"subject": "Closed matter", "requester": "jane", "status": "closed", "priority": "urgent",
             "created_at": "2024-04-10T09:00:00Z",
             "comments": [{"body": "Old complaint from jane.roe@example.org",
                           "attachments": [{"file_name": "id.txt", "content": "passport 998877 secretword"}]}]},
            {"subject": "New request", "requester": "namesake", "status": "new", "created_at": "2024-05-10T09:00:00Z",
             "comments": [{"body": "Hello, I am the other Jane."}]}
        ]
    })
}

/// A server holding [`world`].
pub async fn mock() -> Mock {
    Mock::seeded(world()).await
}
