//! The incremental exports' rate limits (facts §12) and samples: ten export requests a
//! minute across every export, and the sample export's at most 50 items and ten requests in
//! twenty minutes, refused with Zendesk's 429 and `Retry-After` on the virtual clock.

mod common;
mod exports;

use common::assert::expect;
use exports::{T0, export, mock_at, set_clock, spread_tickets};
use serde_json::json;

const TICKETS_CURSOR: &str = "/api/v2/incremental/tickets/cursor.json";
const TICKETS_TIME: &str = "/api/v2/incremental/tickets.json";
const USERS_CURSOR: &str = "/api/v2/incremental/users/cursor.json";
const USERS_TIME: &str = "/api/v2/incremental/users.json";

/// Turns rate limits on (the Enterprise plan's) with the clock at the start of a minute.
async fn limited(mock: &common::Mock) {
    let on = json!({"rate_limits": "enterprise"});
    expect(
        mock.admin().patch("/__mock/settings", on).await,
        200,
        "PATCH /__mock/settings",
    );
}

#[tokio::test]
async fn exports_take_ten_requests_a_minute_across_all_of_them() {
    let mock = mock_at(T0).await;
    limited(&mock).await;
    let query = format!("?start_time={}", T0 - 3_600);
    for n in 0..10 {
        let path = format!(
            "{}{query}",
            [TICKETS_CURSOR, TICKETS_TIME, USERS_CURSOR, USERS_TIME][n % 4]
        );
        assert_eq!(mock.admin().get(&path).await.status, 200, "request {n}");
    }
    let refused = mock.admin().get(&format!("{USERS_TIME}{query}")).await;
    assert_eq!(refused.status, 429, "{}", refused.text);
    assert_eq!(refused.header("retry-after"), Some("60"));
    assert_eq!(
        refused.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(
        refused.text,
        "Number of allowed API requests per minute exceeded"
    );
    assert_eq!(
        mock.admin().get("/api/v2/users/me.json").await.status,
        200,
        "other endpoints"
    );
    set_clock(&mock, T0 + 60).await;
    assert_eq!(
        mock.admin()
            .get(&format!("{TICKETS_TIME}{query}"))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn samples_hold_at_most_fifty_and_take_ten_requests_in_twenty_minutes() {
    let mock = mock_at(T0).await;
    spread_tickets(&mock, 60).await;
    set_clock(&mock, T0 + 3_600).await;
    limited(&mock).await;
    let sample = format!("/api/v2/incremental/tickets/sample.json?start_time={T0}");
    let page = export(&mock, &sample).await;
    assert_eq!(
        (&page["count"], &page["end_of_stream"]),
        (&json!(50), &json!(false))
    );
    let asked = export(&mock, &format!("{sample}&per_page=500")).await;
    assert_eq!(asked["count"], 50, "per_page cannot raise it");
    let fewer = export(&mock, &format!("{sample}&per_page=7")).await;
    assert_eq!(fewer["count"], 7, "but may lower it");

    for n in 3..10 {
        assert_eq!(mock.admin().get(&sample).await.status, 200, "sample {n}");
    }
    let refused = mock.admin().get(&sample).await;
    assert_eq!(
        (refused.status, refused.header("retry-after")),
        (429, Some("1200"))
    );
    let full = format!("{TICKETS_TIME}?start_time={T0}");
    assert_eq!(
        mock.admin().get(&full).await.status,
        200,
        "the full export is counted apart"
    );
    set_clock(&mock, T0 + 3_600 + 1_200).await;
    assert_eq!(
        mock.admin().get(&sample).await.status,
        200,
        "twenty minutes later"
    );
}
