//! Paging through search (facts §7): offset pages of at most 100 with a true `count`, the
//! 1,000-result limit, `/search/count`, and `/search/export` with cursors that expire.

mod common;
mod search;

use common::Mock;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// `n` tickets that all mention "alpha", created a minute apart.
fn alpha_world(n: usize) -> Value {
    let tickets: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "subject": format!("alpha {i}"),
                "requester": "someone@example.org",
                "created_at": format!("2024-01-01T{:02}:{:02}:00Z", i / 60 % 24, i % 60),
                "comments": [{"body": "alpha text"}]
            })
        })
        .collect();
    json!({"users": [{"name": "Some One", "email": "someone@example.org"}], "tickets": tickets})
}

async fn get(mock: &Mock, path: &str) -> common::Reply {
    mock.admin().get(path).await
}

#[tokio::test]
async fn offset_pages_hold_at_most_100_and_count_is_the_true_total() {
    let mock = Mock::seeded(alpha_world(250)).await;
    let mut seen = BTreeSet::new();
    let mut url = "/api/v2/search.json?query=alpha&per_page=100".to_owned();
    let mut pages = 0;
    loop {
        let reply = get(&mock, &url).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json["count"], 250);
        let results = reply.json["results"].as_array().unwrap();
        assert!(results.len() <= 100);
        for r in results {
            assert!(
                seen.insert(r["id"].as_i64().unwrap()),
                "duplicate {}",
                r["id"]
            );
        }
        pages += 1;
        match reply.json["next_page"].as_str() {
            Some(next) => url = common::json::path_of(&mock, &json!(next)).to_owned(),
            None => break,
        }
    }
    assert_eq!((pages, seen.len()), (3, 250));
    let too_big = get(&mock, "/api/v2/search.json?query=alpha&per_page=500").await;
    assert_eq!(
        too_big.json["results"].as_array().unwrap().len(),
        100,
        "per_page is capped at 100"
    );
}

#[tokio::test]
async fn reading_past_the_first_1000_results_is_the_recorded_422() {
    let mock = Mock::seeded(alpha_world(1005)).await;
    let last_allowed = get(
        &mock,
        "/api/v2/search.json?query=alpha&per_page=100&page=10",
    )
    .await;
    assert_eq!(last_allowed.status, 200, "{}", last_allowed.text);
    assert_eq!(last_allowed.json["count"], 1005, "count is the true total");
    assert!(
        last_allowed.json["next_page"].is_string(),
        "Zendesk still links page 11, which then fails (zenpy#371)"
    );
    for path in [
        "/api/v2/search.json?query=alpha&per_page=100&page=11",
        "/api/v2/search.json?query=alpha&per_page=50&page=21",
        "/api/v2/search.json?query=nothing-matches&per_page=100&page=11",
    ] {
        let reply = get(&mock, path).await;
        assert_eq!(reply.status, 422, "{path}");
        assert_eq!(
            reply.json,
            json!({"error": "invalid", "description": "Invalid search: Requested response size was greater than Search Response Limits"}),
            "{path}"
        );
    }
}

#[tokio::test]
async fn count_endpoint_counts_every_match() {
    let mock = Mock::seeded(alpha_world(1005)).await;
    let reply = get(&mock, "/api/v2/search/count.json?query=alpha").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json, json!({"count": 1005}));
    let none = get(&mock, "/api/v2/search/count.json?query=").await;
    assert_eq!(
        none.json,
        json!({"count": 0}),
        "an empty query finds nothing"
    );
}

#[tokio::test]
async fn export_walks_every_match_once_newest_first_with_cursors() {
    let mock = Mock::seeded(alpha_world(250)).await;
    let mut url =
        "/api/v2/search/export.json?query=alpha&filter%5Btype%5D=ticket&page%5Bsize%5D=100"
            .to_owned();
    let mut created = Vec::new();
    let mut pages = 0;
    loop {
        let reply = get(&mock, &url).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let keys: Vec<&str> = reply
            .json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["results", "facets", "meta", "links"],
            "no count on export"
        );
        assert_eq!(
            reply.json["links"]["prev"],
            Value::Null,
            "prev is always null"
        );
        for r in reply.json["results"].as_array().unwrap() {
            assert_eq!(r["result_type"], "ticket");
            created.push(r["created_at"].as_str().unwrap().to_owned());
        }
        pages += 1;
        let has_more = reply.json["meta"]["has_more"].as_bool().unwrap();
        assert_eq!(has_more, reply.json["links"]["next"].is_string());
        if !has_more {
            assert_eq!(reply.json["meta"]["after_cursor"], Value::Null);
            break;
        }
        url = common::json::path_of(&mock, &reply.json["links"]["next"]).to_owned();
    }
    assert_eq!((pages, created.len()), (3, 250));
    let mut sorted = created.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(created, sorted, "sorted by created_at, newest first");
    sorted.dedup();
    assert_eq!(sorted.len(), 250, "no duplicates");
}

#[tokio::test]
async fn export_takes_up_to_1000_per_page() {
    let mock = Mock::seeded(alpha_world(1005)).await;
    let reply = get(
        &mock,
        "/api/v2/search/export.json?query=alpha&filter%5Btype%5D=ticket&page%5Bsize%5D=5000",
    )
    .await;
    assert_eq!(reply.json["results"].as_array().unwrap().len(), 1000);
    assert_eq!(reply.json["meta"]["has_more"], true);
}

#[tokio::test]
async fn export_cursors_expire_after_an_hour_of_account_time() {
    let mock = Mock::seeded(alpha_world(3)).await;
    common::world::freeze_clock(&mock, 1_800_000_000);
    let first = get(
        &mock,
        "/api/v2/search/export.json?query=alpha&filter%5Btype%5D=ticket&page%5Bsize%5D=1",
    )
    .await;
    let next = common::json::path_of(&mock, &first.json["links"]["next"]).to_owned();
    common::world::freeze_clock(&mock, 1_800_000_000 + 3_600);
    assert_eq!(get(&mock, &next).await.status, 200, "valid for an hour");
    common::world::freeze_clock(&mock, 1_800_000_000 + 3_601);
    let expired = get(&mock, &next).await;
    assert_eq!(expired.status, 400, "{}", expired.text);
    assert_eq!(
        expired.json["errors"][0]["code"],
        "InvalidPaginationParameter"
    );
}

#[tokio::test]
async fn export_refuses_what_zendesk_refuses() {
    let mock = Mock::seeded(alpha_world(3)).await;
    let cases = [
        (
            "no filter[type]",
            "/api/v2/search/export.json?query=alpha",
            422,
        ),
        (
            "unknown type",
            "/api/v2/search/export.json?query=alpha&filter%5Btype%5D=article",
            422,
        ),
        (
            "type conflicts",
            "/api/v2/search/export.json?query=type%3Auser+alpha&filter%5Btype%5D=ticket",
            422,
        ),
        (
            "bad cursor",
            "/api/v2/search/export.json?query=alpha&filter%5Btype%5D=ticket&page%5Bafter%5D=bm9wZQ",
            400,
        ),
        (
            "bad size",
            "/api/v2/search/export.json?query=alpha&filter%5Btype%5D=ticket&page%5Bsize%5D=0",
            400,
        ),
    ];
    for (case, path, status) in cases {
        let reply = get(&mock, path).await;
        assert_eq!(reply.status, status, "{case}: {}", reply.text);
    }
    let agrees = get(
        &mock,
        "/api/v2/search/export.json?query=type%3Aticket+alpha&filter%5Btype%5D=ticket",
    )
    .await;
    assert_eq!(
        agrees.status, 200,
        "type: agreeing with filter[type] was recorded to work"
    );
}
