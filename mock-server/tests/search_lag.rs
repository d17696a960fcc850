//! Search follows writes — at once with no lag, after `search_lag_seconds` of account time with
//! one — and erasure (redaction, deletion) is subject to the same lag (facts §7: "new or updated
//! records take a few minutes to show up in the index").

mod common;
mod search;

use common::Mock;
use search::{labels, q};
use serde_json::json;

async fn set_lag(mock: &Mock, seconds: u64) {
    let reply = mock
        .admin()
        .patch("/__mock/settings", json!({"search_lag_seconds": seconds}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

async fn advance(mock: &Mock, seconds: i64) {
    let reply = mock
        .admin()
        .post("/__mock/clock/advance", json!({"seconds": seconds}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

async fn hits(mock: &Mock, query: &str) -> Vec<String> {
    labels(&search::search(&mock.admin(), query).await)
}

/// Deletes the ticket `ticket_query` finds, then soft- and permanently deletes the user with
/// `email` (the guide's order).
async fn erase(mock: &Mock, email: &str, ticket_query: &str) {
    let id = mock.user_id(email).await;
    let found = search::search(&mock.admin(), ticket_query).await;
    let ticket = found.json["results"][0]["id"].clone();
    let path = format!("/api/v2/tickets/{ticket}.json");
    assert_eq!(mock.admin().delete(&path).await.status, 204, "{path}");
    for path in [
        format!("/api/v2/users/{id}.json"),
        format!("/api/v2/deleted_users/{id}.json"),
    ] {
        let reply = mock.admin().delete(&path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
    }
}

/// Redacts "crashes" from the Desktop ticket's first comment (the legacy endpoint).
async fn redact_crashes(mock: &Mock) {
    let found = search::search(&mock.admin(), "subject:desktop").await;
    let ticket = found.json["results"][0]["id"].as_i64().expect("ticket");
    let comments = common::world::comments(mock, ticket).await;
    let comment = comments[0]["id"].as_i64().expect("comment");
    let reply = mock
        .admin()
        .put(
            &format!("/api/v2/tickets/{ticket}/comments/{comment}/redact.json"),
            json!({"text": "crashes"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn without_lag_writes_and_redactions_are_searchable_at_once() {
    let mock = search::mock().await;
    let created = mock
        .admin()
        .post(
            "/api/v2/tickets.json",
            json!({"ticket": {"subject": "Zebra crossing", "comment": {"body": "stripes"}}}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(hits(&mock, "zebra").await, ["ticket:Zebra crossing"]);
    assert_eq!(hits(&mock, "crashes").await, ["ticket:Desktop Solutions"]);
    redact_crashes(&mock).await;
    assert_eq!(hits(&mock, "crashes").await, Vec::<String>::new());
    // ▇ is not a word character: the words around a redaction stay findable, and adjacent.
    assert_eq!(
        hits(&mock, "\"app on start\"").await,
        ["ticket:Desktop Solutions"]
    );
}

#[tokio::test]
async fn with_lag_a_new_record_appears_only_once_the_lag_has_passed() {
    let mock = search::mock().await;
    set_lag(&mock, 120).await;
    common::world::freeze_clock(&mock, 1_800_000_000);
    mock.admin()
        .post(
            "/api/v2/tickets.json",
            json!({"ticket": {"subject": "Zebra crossing", "comment": {"body": "stripes"}}}),
        )
        .await;
    assert_eq!(
        hits(&mock, "zebra").await,
        Vec::<String>::new(),
        "not indexed yet"
    );
    let count = mock
        .admin()
        .get("/api/v2/search/count.json?query=zebra")
        .await;
    assert_eq!(count.json["count"], 0);
    advance(&mock, 119).await;
    assert_eq!(
        hits(&mock, "zebra").await,
        Vec::<String>::new(),
        "one second to go"
    );
    advance(&mock, 1).await;
    assert_eq!(hits(&mock, "zebra").await, ["ticket:Zebra crossing"]);
}

#[tokio::test]
async fn with_lag_redacted_text_stays_findable_until_the_lag_has_passed() {
    let mock = search::mock().await;
    set_lag(&mock, 300).await;
    common::world::freeze_clock(&mock, 1_800_000_000);
    redact_crashes(&mock).await;
    assert_eq!(
        hits(&mock, "crashes").await,
        ["ticket:Desktop Solutions"],
        "a stale hit"
    );
    advance(&mock, 300).await;
    assert_eq!(hits(&mock, "crashes").await, Vec::<String>::new());
}

#[tokio::test]
async fn with_lag_a_permanently_deleted_user_is_found_by_email_until_the_lag_has_passed() {
    let mock = search::mock().await;
    set_lag(&mock, 600).await;
    common::world::freeze_clock(&mock, 1_800_000_000);
    let email = "tip@example.net";
    // Tip is requester of an open ticket: the guard wants that ticket deleted first.
    erase(&mock, email, "subject:mops").await;
    let stale = mock
        .admin()
        .get(&format!("/api/v2/users/search.json?query={}", q(email)))
        .await;
    assert_eq!(
        stale.json["count"], 1,
        "the index still holds the email: {}",
        stale.text
    );
    assert_eq!(
        stale.json["users"][0]["name"], "Permanently Deleted User",
        "shown as it is now"
    );
    assert_eq!(
        hits(&mock, "mops").await,
        ["ticket:Tip-Top Mops"],
        "the deleted ticket too"
    );
    advance(&mock, 600).await;
    let fresh = mock
        .admin()
        .get(&format!("/api/v2/users/search.json?query={}", q(email)))
        .await;
    assert_eq!(fresh.json["count"], 0, "{}", fresh.text);
    assert_eq!(hits(&mock, email).await, Vec::<String>::new());
    assert_eq!(hits(&mock, "mops").await, Vec::<String>::new());
}

#[tokio::test]
async fn soft_deleted_records_leave_search_and_restored_tickets_return() {
    let mock = search::mock().await;
    let ticket =
        search::search(&mock.admin(), "subject:desktop").await.json["results"][0]["id"].clone();
    assert_eq!(
        mock.admin()
            .delete(&format!("/api/v2/tickets/{ticket}.json"))
            .await
            .status,
        204
    );
    assert_eq!(hits(&mock, "subject:desktop").await, Vec::<String>::new());
    let restored = mock
        .admin()
        .put(
            &format!("/api/v2/deleted_tickets/{ticket}/restore.json"),
            json!({}),
        )
        .await;
    assert_eq!(restored.status, 200, "{}", restored.text);
    assert_eq!(
        hits(&mock, "subject:desktop").await,
        ["ticket:Desktop Solutions"]
    );
}

#[tokio::test]
async fn without_lag_a_permanently_deleted_user_is_unfindable_at_once() {
    let mock = search::mock().await;
    let email = "desk@example.net";
    erase(&mock, email, "subject:desktop").await;
    for query in [email, "\"Desk Top\"", "type:user desk"] {
        assert_eq!(hits(&mock, query).await, Vec::<String>::new(), "{query:?}");
    }
    let users = mock
        .admin()
        .get(&format!("/api/v2/users/search.json?query={}", q(email)))
        .await;
    assert_eq!(users.json["count"], 0, "{}", users.text);
}

#[tokio::test]
async fn the_residue_scan_reports_stale_search_hits_until_the_lag_has_passed() {
    let mock = search::mock().await;
    set_lag(&mock, 300).await;
    common::world::freeze_clock(&mock, 1_800_000_000);
    redact_crashes(&mock).await;
    let stale = common::world::residue(&mock, &["crashes"]).await;
    let places: Vec<(String, String)> = stale
        .iter()
        .map(|h| {
            (
                h["kind"].as_str().unwrap().to_owned(),
                h["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        places.contains(&("search_index".to_owned(), "ticket.comment".to_owned())),
        "{stale:?}"
    );
    assert!(
        stale.iter().all(|h| h["kind"] == "search_index"),
        "the store itself holds nothing: {stale:?}"
    );
    advance(&mock, 300).await;
    assert_eq!(
        common::world::residue(&mock, &["crashes"]).await,
        Vec::<serde_json::Value>::new()
    );
}
