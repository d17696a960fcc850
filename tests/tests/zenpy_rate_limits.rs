//! zenpy, a real client that honours `Retry-After`, erases a data subject from an account whose
//! rate limits are on (facts §12, §14): the erasure needs more requests than one minute allows,
//! zenpy is refused with 429, sleeps the seconds it was told, and finishes. The script is
//! `tests/clients/zenpy_erasure.py`; it runs under the Python named by `ZENDESK_E2E_PYTHON`
//! (`.ci/run` makes a venv with zenpy and sets it), so the test is ignored by a plain
//! `cargo test`.

mod clients;
#[path = "../../mock-server/tests/common/mod.rs"]
mod common;

use clients::{Run, api_requests, describe, required_env, run_script};
use common::world::residue;
use common::{ADMIN_EMAIL, ADMIN_TOKEN, Mock};
use serde_json::{Value, json};
use std::time::Duration;

const SUBJECT_EMAIL: &str = "sam.subject@example.org";
const SUBJECT_PHONE: &str = "+1 202 555 0177";
/// Closed tickets the subject requested: each costs zenpy three requests (delete, permanent
/// delete, one look at its job), so with the two lookups before and two user deletions after,
/// the erasure takes 2 + 3 × 4 + 2 = 16 requests — more than the Essential plan's 10 a
/// minute, fewer than two minutes' worth.
const TICKETS: usize = 4;
const REQUESTS: usize = 2 + 3 * TICKETS + 2;
const ESSENTIAL_LIMIT: usize = 10;
/// Bounds a hung client; the script itself gives up after waiting out 120 s of Retry-After.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(180);

fn world() -> Value {
    let tickets: Vec<Value> = (1..=TICKETS)
        .map(|n| {
            json!({"subject": format!("Order {n}"), "requester": "subject", "status": "closed",
                   "comments": [{"body": format!("Call me on {SUBJECT_PHONE} or write to {SUBJECT_EMAIL}.")}]})
        })
        .collect();
    json!({
        "users": [{"ref": "subject", "name": "Sam Subject", "email": SUBJECT_EMAIL,
                   "phone": SUBJECT_PHONE, "verified": true}],
        "tickets": tickets
    })
}

/// The seconds zenpy logged waiting out a `Retry-After`, in order (zenpy/lib/api.py warns
/// "Waiting for requested retry-after period: N seconds" before each wait).
fn waits(run: &Run) -> Vec<i64> {
    run.stderr
        .lines()
        .filter_map(|line| {
            line.split("Waiting for requested retry-after period: ")
                .nth(1)?
                .trim_end_matches(" seconds")
                .parse()
                .ok()
        })
        .collect()
}

/// Runs the erasure script under `ZENDESK_E2E_PYTHON` against `mock` as the demo admin.
async fn run_zenpy_erasure(mock: &Mock) -> Run {
    let python = required_env("ZENDESK_E2E_PYTHON", "a python with zenpy");
    let env = [
        (
            "ZENDESK_URL",
            mock.url.trim_start_matches("http://").to_owned(),
        ),
        ("ZENDESK_EMAIL", ADMIN_EMAIL.to_owned()),
        ("ZENDESK_TOKEN", ADMIN_TOKEN.to_owned()),
        ("SUBJECT_EMAIL", SUBJECT_EMAIL.to_owned()),
        ("ZENPY_FORCE_SCHEME", "http".to_owned()),
    ];
    run_script(&python, "zenpy_erasure.py", &env, SCRIPT_TIMEOUT).await
}

/// The end of the minute `at` falls in: when a full account window resets.
fn minute_end(at: i64) -> i64 {
    at - at.rem_euclid(60) + 60
}

#[tokio::test]
#[ignore = "needs zenpy: run .ci/run, or set ZENDESK_E2E_PYTHON to a python with zenpy"]
async fn zenpy_waits_out_retry_after_and_completes_an_erasure_on_a_rate_limited_account() {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    let set = |body: Value| async {
        let reply = admin.patch("/__mock/settings", body).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    };
    let clock = |body: Value| async {
        let reply = admin.put("/__mock/clock", body).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    };
    clock(json!({"now": "2030-01-01T00:00:00Z", "frozen": true})).await;
    let seeded = admin.post("/__mock/seed", world()).await;
    assert_eq!(seeded.status, 200, "{}", seeded.text);
    // Jobs complete before their response, so one look at each job is all zenpy makes: the
    // request count stays fixed.
    set(json!({"job_mode": "immediate", "rate_limits": "essential"})).await;

    // zenpy waits out a 429 with real sleep(1) calls, and the windows run on the account
    // clock. So the clock runs (at real speed) and starts 5 s before a minute turns: zenpy
    // spends its 10 requests within a second of starting, is refused with a Retry-After of
    // about 4 s — the rest of the minute — sleeps that long, and finds a fresh minute. A
    // frozen clock would refuse it forever; a clock set at the start of a minute would keep
    // it waiting nearly 60 s. (Were Python to take over 5 s to start, the test would still
    // pass, only about a minute slower.)
    clock(json!({"now": "2030-01-01T00:00:55Z", "frozen": false})).await;
    let run = run_zenpy_erasure(&mock).await;
    assert!(
        run.success,
        "the zenpy erasure failed\n{}",
        run.transcript()
    );

    let mut expected_steps = vec!["find user", "list requested tickets"];
    for _ in 0..TICKETS {
        expected_steps.extend(["delete ticket", "permanently delete ticket"]);
    }
    expected_steps.extend(["delete user", "permanently delete user"]);
    // Every line the script printed is a step that succeeded, and they are the erasure's.
    let steps = run.steps();
    for step in &steps {
        assert!(
            step.ok,
            "{}: {}\n{}",
            step.name,
            step.detail,
            run.transcript()
        );
    }
    let names: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, expected_steps, "{}", run.transcript());

    let requests = api_requests(&admin).await;
    let refused: Vec<usize> = (0..requests.len())
        .filter(|&i| requests[i].status == 429)
        .collect();
    let journal = format!("--- journal\n{}{}", describe(&requests), run.transcript());
    assert!(!refused.is_empty(), "no 429 at all: {journal}");
    assert_eq!(
        requests.len() - refused.len(),
        REQUESTS,
        "every request of the erasure answered once: {journal}"
    );
    let waits = waits(&run);
    assert_eq!(waits.len(), refused.len(), "one wait per 429: {journal}");
    let first = refused[0];
    let in_its_minute = requests[..first]
        .iter()
        .filter(|r| minute_end(r.at) == minute_end(requests[first].at))
        .count();
    assert_eq!(
        in_its_minute, ESSENTIAL_LIMIT,
        "refused at the 11th: {journal}"
    );
    for (&i, &wait) in refused.iter().zip(&waits) {
        let refusal = &requests[i];
        let retry = requests
            .get(i + 1)
            .unwrap_or_else(|| panic!("no request after the 429: {journal}"));
        assert_eq!(
            (&retry.method, &retry.path),
            (&refusal.method, &refusal.path),
            "zenpy's next request is the refused one again: {journal}"
        );
        assert!(
            (200..300).contains(&retry.status),
            "the retry succeeded: {journal}"
        );
        // Retry-After runs to the end of the minute: zenpy waited at least that long, so its
        // retry came in the next window by the account's own clock.
        let reset = minute_end(refusal.at);
        assert!(
            refusal.at + wait >= reset && wait <= 60,
            "zenpy waited {wait} s after a 429 at {}: {journal}",
            refusal.at
        );
        assert!(
            retry.at >= reset,
            "the retry came before the window reset: {journal}"
        );
    }
    assert!(
        run.took >= Duration::from_secs(waits.iter().sum::<i64>().unsigned_abs()),
        "zenpy slept its waits in real time ({:?}): {journal}",
        run.took
    );

    let left = residue(&mock, &[SUBJECT_EMAIL, SUBJECT_PHONE, "Sam Subject"]).await;
    assert_eq!(left, Vec::<Value>::new(), "nothing of the subject remains");
}
