//! What a client that ignores 429 experiences on a rate-limited account (facts §12), and the
//! same client once it honours `Retry-After`.
//!
//! The account is on the Essential plan's 10 requests a minute, its clock frozen half-way
//! through a minute, and 25 end users are to be erased, one `DELETE /users/{id}` each — the
//! soft delete that Zendesk's 30-day purge completes. The naive client fires all 25 and checks
//! nothing: 10 are applied, the other 15 are refused with 429 and are never erased. The polite
//! client waits out each `Retry-After` — here by advancing the virtual clock that many seconds
//! instead of sleeping — and gets every deletion applied.

#[path = "../../mock-server/tests/common/mod.rs"]
mod common;

use common::world::{events, residue};
use common::{Client, Mock, Reply};
use serde_json::{Value, json};

/// The Essential plan's account-wide limit, per minute.
const LIMIT: usize = 10;
const SUBJECTS: usize = 25;
/// Half-way through a minute: a refusal waits 30 s for the minute to turn.
const START: &str = "2030-01-01T00:00:30Z";
const REFUSAL: &str = "Number of allowed API requests per minute exceeded";

fn email(n: usize) -> String {
    format!("subject{n:02}@example.org")
}

/// A server whose clock is frozen at [`START`], holding [`SUBJECTS`] end users, with the
/// Essential plan's limits enforced; returns the users' ids in order.
async fn limited_account() -> (Mock, Vec<i64>) {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    let frozen = admin
        .put("/__mock/clock", json!({"now": START, "frozen": true}))
        .await;
    assert_eq!(frozen.status, 200, "{}", frozen.text);
    let users: Vec<Value> = (0..SUBJECTS)
        .map(|n| json!({"name": format!("Subject {n}"), "email": email(n), "verified": true}))
        .collect();
    let seeded = admin.post("/__mock/seed", json!({"users": users})).await;
    assert_eq!(seeded.status, 200, "{}", seeded.text);
    let ids: Vec<i64> = seeded.json["users"]
        .as_array()
        .expect("seeded user ids")
        .iter()
        .map(|id| id.as_i64().expect("a user id"))
        .collect();
    assert_eq!(ids.len(), SUBJECTS);
    let on = admin
        .patch("/__mock/settings", json!({"rate_limits": "essential"}))
        .await;
    assert_eq!(on.status, 200, "{}", on.text);
    (mock, ids)
}

async fn delete_user(admin: &Client<'_>, id: i64) -> Reply {
    admin.delete(&format!("/api/v2/users/{id}.json")).await
}

/// Which of `ids` the store still holds as active users (read in-process: every API request
/// would count against the very limit under test).
fn active(mock: &Mock, ids: &[i64]) -> Vec<i64> {
    let account = mock.state.registry.default_account().expect("account");
    account.read(|data| {
        ids.iter()
            .copied()
            .filter(|&id| data.user(id).is_ok_and(|user| user.is_active()))
            .collect()
    })
}

/// The users whose soft deletion the event log records, in order.
async fn soft_deleted(admin: &Client<'_>) -> Vec<i64> {
    events(admin)
        .await
        .iter()
        .filter(|event| event["type"] == "UserSoftDeleted")
        .filter_map(|event| event["user_id"].as_i64())
        .collect()
}

/// The needles the residue scan still finds among the subjects' emails, sorted.
async fn emails_remaining(mock: &Mock) -> Vec<String> {
    let needles: Vec<String> = (0..SUBJECTS).map(email).collect();
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    let mut found: Vec<String> = residue(mock, &needles)
        .await
        .iter()
        .map(|hit| hit["needle"].as_str().unwrap_or_default().to_owned())
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Advances the clock by Zendesk's 30-day purge of soft-deleted users.
async fn run_the_purge(admin: &Client<'_>) {
    let advanced = admin
        .post("/__mock/clock/advance", json!({"days": 30}))
        .await;
    assert_eq!(advanced.status, 200, "{}", advanced.text);
}

#[tokio::test]
async fn ignoring_429_erases_10_of_25_subjects_and_honouring_retry_after_erases_the_rest() {
    let (mock, ids) = limited_account().await;
    let admin = mock.admin();

    // The naive client: one DELETE per subject, statuses ignored.
    let mut replies = Vec::new();
    for &id in &ids {
        replies.push(delete_user(&admin, id).await);
    }
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [vec![200; LIMIT], vec![429; SUBJECTS - LIMIT]].concat(),
        "Essential allows 10 requests a minute"
    );
    for (n, refused) in replies.iter().enumerate().skip(LIMIT) {
        assert_eq!(
            (refused.header("retry-after"), refused.text.as_str()),
            (Some("30"), REFUSAL),
            "deletion {n}: the minute turns in 30 s"
        );
    }
    let (applied, refused) = ids.split_at(LIMIT);
    assert_eq!(
        soft_deleted(&admin).await,
        applied,
        "only the first 10 deletions were applied"
    );
    assert_eq!(active(&mock, applied), Vec::<i64>::new());
    assert_eq!(active(&mock, refused), refused, "the refused are untouched");

    // Soft-deleted users keep their data until the purge; once it has run, the residue scan
    // finds exactly the subjects whose deletion was refused.
    run_the_purge(&admin).await;
    let refused_emails: Vec<String> = (LIMIT..SUBJECTS).map(email).collect();
    assert_eq!(emails_remaining(&mock).await, refused_emails);
    assert_eq!(active(&mock, refused), refused);

    // The same client honouring Retry-After: on a 429 it waits the seconds it was told (here by
    // advancing the virtual clock) and sends the request again. The purge left the clock 30 s
    // into a fresh minute, so the first 10 go through and the 11th waits 30 s.
    let mut sent = 0;
    let mut waits = Vec::new();
    for &id in refused {
        loop {
            let reply = delete_user(&admin, id).await;
            sent += 1;
            if reply.status != 429 {
                assert_eq!(reply.status, 200, "deleting {id}: {}", reply.text);
                break;
            }
            let retry_after: i64 = reply
                .header("retry-after")
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("a 429 without Retry-After: {:?}", reply.headers));
            waits.push(retry_after);
            let advanced = admin
                .post("/__mock/clock/advance", json!({"seconds": retry_after}))
                .await;
            assert_eq!(advanced.status, 200, "{}", advanced.text);
        }
    }
    assert_eq!(waits, [30], "one wait, to the end of the minute");
    assert_eq!(sent, SUBJECTS - LIMIT + 1, "15 deletions and one refusal");
    assert_eq!(active(&mock, &ids), Vec::<i64>::new(), "all 25 deleted");
    assert_eq!(soft_deleted(&admin).await, ids);
    run_the_purge(&admin).await;
    assert_eq!(emails_remaining(&mock).await, Vec::<String>::new());
}
