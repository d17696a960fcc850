//! The request journal's ordering fields (`GET /__mock/journal`): `retry_after`, the seconds a
//! refused request was told to wait, and `events_seq`, the newest event when a request was
//! answered — what lets a verifier tell whether a client waited out a 429 and whether its job poll came
//! after the job had completed.

mod common;

use common::Mock;
use serde_json::{Value, json};

/// The journal's entries for Zendesk API paths, oldest first.
async fn api_entries(mock: &Mock) -> Vec<Value> {
    let reply = mock.admin().get("/__mock/journal").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["journal"]
        .as_array()
        .expect("journal entries")
        .iter()
        .filter(|e| e["path"].as_str().is_some_and(|p| p.starts_with("/api/")))
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_refused_request_is_journaled_with_its_retry_after_and_others_with_none() {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    let fault = json!({"method": "GET", "path": "/api/v2/users/me", "status": 429,
        "retry_after": 7, "count": 1});
    assert_eq!(admin.post("/__mock/faults", fault).await.status, 201);
    assert_eq!(admin.get("/api/v2/users/me.json").await.status, 429);
    assert_eq!(admin.get("/api/v2/users/me.json").await.status, 200);

    let entries = api_entries(&mock).await;
    let seen: Vec<(u64, Value)> = entries
        .iter()
        .map(|e| (e["status"].as_u64().unwrap_or(0), e["retry_after"].clone()))
        .collect();
    assert_eq!(
        seen,
        vec![(429, json!(7)), (200, Value::Null)],
        "{entries:?}"
    );
}

#[tokio::test]
async fn events_seq_is_the_newest_event_when_the_request_was_answered() {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    let user = mock.create_user("Ed Events", "ed.events@example.org").await;
    let deleted = admin.delete(&format!("/api/v2/users/{user}.json")).await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(admin.get("/api/v2/users/me.json").await.status, 200);

    let events = admin.get("/__mock/events").await.json["events"].clone();
    let soft_deleted = events
        .as_array()
        .and_then(|all| all.iter().find(|e| e["type"] == "UserSoftDeleted"))
        .and_then(|e| e["seq"].as_u64())
        .unwrap_or_else(|| panic!("no UserSoftDeleted event: {events}"));
    let entries = api_entries(&mock).await;
    let seq_of = |method: &str| {
        entries
            .iter()
            .rev()
            .find(|e| e["method"] == method)
            .and_then(|e| e["events_seq"].as_u64())
            .unwrap_or_else(|| panic!("no {method} entry with events_seq: {entries:?}"))
    };
    let created = entries
        .iter()
        .find(|e| e["method"] == "POST")
        .and_then(|e| e["events_seq"].as_u64())
        .unwrap_or_else(|| panic!("no POST entry with events_seq: {entries:?}"));
    assert!(
        created < soft_deleted,
        "the user was created before it was deleted: {entries:?}"
    );
    assert_eq!(
        seq_of("DELETE"),
        soft_deleted,
        "the delete was answered with its own event the newest: {entries:?}"
    );
    assert_eq!(
        seq_of("GET"),
        soft_deleted,
        "nothing happened after it: {entries:?}"
    );
}
