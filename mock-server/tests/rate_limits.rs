//! Rate limits (facts §12): the headers every API response carries, the account-wide limit of
//! the plan, the per-ticket update limit and an endpoint limit — refused with Zendesk's 429,
//! `Retry-After` and body — and windows that run on the virtual clock, so a test advances past
//! them instead of waiting.

mod common;

use common::Mock;
use serde_json::{Value, json};

const START: &str = "2024-01-01T00:00:00Z";

/// A server with the clock frozen at the start of a minute and rate limits as given.
async fn limited(rate_limits: &str, world: Value) -> Mock {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    assert_eq!(
        admin
            .put("/__mock/clock", json!({"now": START, "frozen": true}))
            .await
            .status,
        200
    );
    assert_eq!(admin.post("/__mock/seed", world).await.status, 200);
    let set = admin
        .patch("/__mock/settings", json!({"rate_limits": rate_limits}))
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    mock
}

fn ticket_world() -> Value {
    json!({"users": [{"ref": "r", "name": "R", "email": "r@example.com"}], "tickets": [
        {"subject": "One", "requester": "r", "comments": [{"body": "x"}]},
        {"subject": "Two", "requester": "r", "comments": [{"body": "y"}]}]})
}

#[tokio::test]
async fn every_api_response_reports_the_plans_limit_and_what_remains() {
    let mock = limited("off", json!({})).await;
    let first = mock.admin().get("/api/v2/users/me.json").await;
    let second = mock.admin().get("/api/v2/users/me.json").await;
    for (name, expected) in [
        ("x-rate-limit", "700"),
        ("ratelimit-limit", "700"),
        ("ratelimit-reset", "60"),
    ] {
        assert_eq!(second.header(name), Some(expected), "{name}");
    }
    let remaining = |reply: &common::Reply| {
        reply
            .header("x-rate-limit-remaining")
            .and_then(|v| v.parse::<u32>().ok())
    };
    assert_eq!(
        remaining(&second),
        remaining(&first).map(|r| r - 1),
        "each request counts"
    );
    assert_eq!(
        second.header("ratelimit-remaining"),
        second.header("x-rate-limit-remaining")
    );
    let control = mock.admin().get("/__mock/settings").await;
    assert_eq!(
        control.header("x-rate-limit"),
        None,
        "the control API is not Zendesk's and is not counted"
    );
}

#[tokio::test]
async fn limits_are_off_by_default_and_on_per_account() {
    let mock = limited("off", json!({})).await;
    for n in 0..710 {
        let reply = mock.admin().get("/api/v2/users/me.json").await;
        assert_eq!(reply.status, 200, "request {n} with limits off");
    }
    let settings = mock.admin().get("/__mock/settings").await;
    assert_eq!(settings.json["settings"]["rate_limits"], "off");
    let bad = mock
        .admin()
        .patch("/__mock/settings", json!({"rate_limits": "unlimited"}))
        .await;
    assert_eq!(bad.status, 400, "{}", bad.text);
}

#[tokio::test]
async fn past_the_plans_limit_requests_get_429_until_the_minute_turns() {
    let mock = limited("team", json!({})).await;
    for n in 0..200 {
        let reply = mock.admin().get("/api/v2/users/me.json").await;
        assert_eq!(reply.status, 200, "request {n} within Team's 200");
    }
    let refused = mock.admin().get("/api/v2/users/me.json").await;
    assert_eq!(refused.status, 429);
    assert_eq!(
        refused.text,
        "Number of allowed API requests per minute exceeded"
    );
    assert_eq!(
        refused.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(refused.header("retry-after"), Some("60"));
    assert_eq!(refused.header("x-rate-limit-remaining"), Some("0"));
    assert_eq!(
        mock.admin().get("/__mock/clock").await.status,
        200,
        "the control API stays reachable"
    );
    let advanced = mock
        .admin()
        .post("/__mock/clock/advance", json!({"seconds": 45}))
        .await;
    assert_eq!(advanced.status, 200);
    let still = mock.admin().get("/api/v2/users/me.json").await;
    assert_eq!(
        (still.status, still.header("retry-after")),
        (429, Some("15")),
        "Retry-After counts down on the clock"
    );
    mock.admin()
        .post("/__mock/clock/advance", json!({"seconds": 15}))
        .await;
    assert_eq!(
        mock.admin().get("/api/v2/users/me.json").await.status,
        200,
        "a new minute"
    );
}

#[tokio::test]
async fn a_ticket_takes_thirty_updates_per_user_in_ten_minutes() {
    let mock = limited("enterprise", ticket_world()).await;
    let admin = mock.admin();
    for n in 0..30 {
        let reply = admin
            .put(
                "/api/v2/tickets/1.json",
                json!({"ticket": {"tags": [format!("t{n}")]}}),
            )
            .await;
        assert_eq!(reply.status, 200, "update {n}: {}", reply.text);
        let expected = format!("total=30; remaining={}; resets=600", 29 - n);
        assert_eq!(
            reply.header("zendesk-ratelimit-per-ticket-updates"),
            Some(expected.as_str()),
            "update {n}"
        );
    }
    let refused = admin
        .put(
            "/api/v2/tickets/1.json",
            json!({"ticket": {"tags": ["late"]}}),
        )
        .await;
    assert_eq!(refused.status, 429);
    assert_eq!(
        refused.text,
        "Rate limit for ticket updates exceeded, please wait before updating this ticket again"
    );
    assert_eq!(
        refused.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(refused.header("retry-after"), Some("600"));
    let other = admin
        .put(
            "/api/v2/tickets/2.json",
            json!({"ticket": {"tags": ["fine"]}}),
        )
        .await;
    assert_eq!(other.status, 200, "another ticket has its own counter");
    let agent_world = json!({"users": [{"name": "Ag", "email": "ag@example.com", "role": "agent", "verified": true}]});
    assert_eq!(admin.post("/__mock/seed", agent_world).await.status, 200);
    let token = admin.get("/__mock/accounts").await.json["accounts"][0]["admin"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let agent = mock.as_token("ag@example.com", &token);
    assert_eq!(
        agent
            .put(
                "/api/v2/tickets/1.json",
                json!({"ticket": {"tags": ["agent"]}})
            )
            .await
            .status,
        200,
        "another user has its own counter"
    );
    admin
        .post("/__mock/clock/advance", json!({"minutes": 10}))
        .await;
    assert_eq!(
        admin
            .put(
                "/api/v2/tickets/1.json",
                json!({"ticket": {"tags": ["later"]}})
            )
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn the_deleted_tickets_list_takes_ten_requests_a_minute() {
    let mock = limited("enterprise", ticket_world()).await;
    for n in 0..10 {
        assert_eq!(
            mock.admin()
                .get("/api/v2/deleted_tickets.json")
                .await
                .status,
            200,
            "list {n}"
        );
    }
    let refused = mock.admin().get("/api/v2/deleted_tickets.json").await;
    assert_eq!(
        (refused.status, refused.header("retry-after")),
        (429, Some("60"))
    );
    assert_eq!(
        mock.admin().get("/api/v2/tickets.json").await.status,
        200,
        "other endpoints go on"
    );
}

#[tokio::test]
async fn reset_forgets_the_counters() {
    let mock = limited("essential", json!({})).await;
    for _ in 0..10 {
        mock.admin().get("/api/v2/users/me.json").await;
    }
    assert_eq!(
        mock.admin().get("/api/v2/users/me.json").await.status,
        429,
        "Essential allows 10"
    );
    assert_eq!(
        mock.admin().post("/__mock/reset", json!({})).await.status,
        200
    );
    assert_eq!(mock.admin().get("/api/v2/users/me.json").await.status, 200);
}

#[tokio::test]
async fn with_limits_on_at_most_thirty_jobs_may_wait_at_once() {
    let mock = limited("enterprise", json!({})).await;
    let admin = mock.admin();
    assert_eq!(
        admin
            .patch("/__mock/settings", json!({"job_mode": "manual"}))
            .await
            .status,
        200
    );
    let bulk = |n: usize| json!({"users": [{"name": format!("Job {n}"), "email": format!("job{n}@example.com")}]});
    for n in 0..30 {
        let reply = admin.post("/api/v2/users/create_many.json", bulk(n)).await;
        assert_eq!(reply.status, 200, "job {n}: {}", reply.text);
    }
    let refused = admin.post("/api/v2/users/create_many.json", bulk(30)).await;
    assert_eq!(refused.status, 429, "{}", refused.text);
    assert_eq!(refused.header("retry-after"), Some("10"));
    assert_eq!(
        refused.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    let released = admin.post("/__mock/jobs/release", json!({})).await;
    assert_eq!(
        released.json["released"].as_array().map(Vec::len),
        Some(30),
        "the refused job was never queued"
    );
    assert_eq!(
        admin
            .post("/api/v2/users/create_many.json", bulk(31))
            .await
            .status,
        200,
        "room again"
    );
    let off = limited("off", json!({})).await;
    off.admin()
        .patch("/__mock/settings", json!({"job_mode": "manual"}))
        .await;
    for n in 0..31 {
        assert_eq!(
            off.admin()
                .post("/api/v2/users/create_many.json", bulk(n))
                .await
                .status,
            200,
            "no limit when off: job {n}"
        );
    }
}
