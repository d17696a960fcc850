//! The request journal and the event log as a test reads them: bounded (oldest dropped,
//! `seq` still counting), read incrementally with `?after=SEQ&limit=N` to stream them, as
//! NDJSON on request, and cleared.

mod common;

use common::Mock;
use serde_json::{Value, json};
use zendesk_mock::Options;
use zendesk_mock::store::Limits;

fn seqs(list: &Value) -> Vec<u64> {
    list.as_array()
        .expect("a list")
        .iter()
        .filter_map(|e| e["seq"].as_u64())
        .collect()
}

#[tokio::test]
async fn the_journal_is_read_incrementally_with_after_and_limit() {
    let mock = Mock::empty().await;
    for _ in 0..5 {
        mock.admin().get("/api/v2/users/me.json").await;
    }
    let all = seqs(&mock.admin().get("/__mock/journal").await.json["journal"]);
    assert_eq!(
        all,
        vec![1, 2, 3, 4, 5],
        "the read itself is journaled after it answers"
    );
    let after = mock.admin().get("/__mock/journal?after=2&limit=2").await;
    assert_eq!(seqs(&after.json["journal"]), vec![3, 4]);
    let newer = mock.admin().get("/__mock/journal?after=6").await;
    assert_eq!(
        seqs(&newer.json["journal"]),
        vec![7],
        "only what came since the last read"
    );
    assert_eq!(newer.json["journal"][0]["path"], "/__mock/journal");
}

#[tokio::test]
async fn events_are_read_incrementally_and_as_ndjson() {
    let mock = Mock::empty().await;
    mock.create_user("One", "one@example.com").await;
    mock.create_user("Two", "two@example.com").await;
    let all = mock.admin().get("/__mock/events").await.json["events"].clone();
    let last = *seqs(&all).last().expect("events");
    mock.create_user("Three", "three@example.com").await;
    let newer = mock
        .admin()
        .get(&format!("/__mock/events?after={last}"))
        .await
        .json["events"]
        .clone();
    let types: Vec<&str> = newer
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert_eq!(types, vec!["UserCreated", "IdentityCreated"], "{newer}");
    let request = mock
        .http
        .get(format!("{}/__mock/events?limit=2", mock.url))
        .basic_auth("admin@example.com/token", Some("demo-token"))
        .header("accept", "application/x-ndjson");
    let response = request.send().await.expect("sent");
    assert_eq!(response.headers()["content-type"], "application/x-ndjson");
    let text = response.text().await.expect("body");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(lines[0]["seq"], all[0]["seq"]);
}

#[tokio::test]
async fn the_logs_are_bounded_and_keep_counting() {
    let options = Options {
        demo: false,
        seed: Some(json!({})),
        limits: Limits {
            journal_entries: 3,
            events: 2,
        },
        ..Options::default()
    };
    let mock = Mock::with(options).await;
    let mut last = 0;
    for n in 0..4 {
        last = mock
            .create_user(&format!("U{n}"), &format!("u{n}@example.com"))
            .await;
    }
    let journal = seqs(&mock.admin().get("/__mock/journal").await.json["journal"]);
    assert_eq!(journal, vec![2, 3, 4], "the three newest of four requests");
    let events = mock.admin().get("/__mock/events").await.json["events"].clone();
    let kept = seqs(&events);
    assert_eq!(kept.len(), 2, "{events}");
    assert_eq!(kept[1], kept[0] + 1, "the newest two, in order");
    assert!(
        kept[0] > 2,
        "seq keeps counting past what was dropped: {events}"
    );
    let users: Vec<&Value> = events
        .as_array()
        .expect("events")
        .iter()
        .map(|e| &e["user_id"])
        .collect();
    assert_eq!(
        users,
        vec![&json!(last), &json!(last)],
        "only the last user's UserCreated and IdentityCreated"
    );
}

#[tokio::test]
async fn a_zero_capacity_turns_the_journal_off() {
    let options = Options {
        demo: false,
        seed: Some(json!({})),
        limits: Limits {
            journal_entries: 0,
            events: 10,
        },
        ..Options::default()
    };
    let mock = Mock::with(options).await;
    mock.admin().get("/api/v2/users/me.json").await;
    assert_eq!(
        mock.admin().get("/__mock/journal").await.json["journal"],
        json!([])
    );
}

#[tokio::test]
async fn bad_windows_are_400() {
    let mock = Mock::empty().await;
    for query in ["after=-1", "after=x", "limit=1.5"] {
        let reply = mock.admin().get(&format!("/__mock/journal?{query}")).await;
        assert_eq!(reply.status, 400, "{query}: {}", reply.text);
        assert_eq!(reply.json["error"], "InvalidParameter", "{query}");
    }
}
