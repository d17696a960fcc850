//! zenpy, a real client that honours `Retry-After`, erases a data subject from an account whose
//! rate limits are on (facts §12, §14): the erasure needs more requests than one minute allows,
//! zenpy is refused with 429, sleeps the seconds it was told, and finishes. The script is
//! `tests/clients/zenpy_erasure.py`; it runs under the Python named by `ZENDESK_E2E_PYTHON`
//! (`.ci/run` makes a venv with zenpy and sets it), so the test is ignored by a plain
//! `cargo test`.

#[path = "../../mock-server/tests/common/mod.rs"]
mod common;

use common::world::residue;
use common::{ADMIN_EMAIL, ADMIN_TOKEN, Mock};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use zendesk_mock::store::clock::parse_rfc3339;

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

/// What the script printed and how it ended.
struct Run {
    success: bool,
    stdout: String,
    stderr: String,
    took: Duration,
}

impl Run {
    /// Everything a failure message needs.
    fn transcript(&self) -> String {
        format!("--- stdout\n{}--- stderr\n{}", self.stdout, self.stderr)
    }

    /// The `step` of each line the script printed; panics on a line that is not its JSON or
    /// a step that failed.
    fn steps(&self) -> Vec<String> {
        self.stdout
            .lines()
            .map(|line| {
                let step: Value = serde_json::from_str(line)
                    .unwrap_or_else(|_| panic!("not a step line: {line:?}\n{}", self.transcript()));
                assert_eq!(step["ok"], true, "{line}\n{}", self.transcript());
                step["step"].as_str().unwrap_or_default().to_owned()
            })
            .collect()
    }

    /// The seconds zenpy logged waiting out a `Retry-After`, in order (zenpy/lib/api.py
    /// warns "Waiting for requested retry-after period: N seconds" before each wait).
    fn waits(&self) -> Vec<i64> {
        self.stderr
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
}

/// Runs the erasure script under `ZENDESK_E2E_PYTHON` against `mock` as the demo admin. The
/// server keeps serving meanwhile: the child is awaited, not blocked on.
async fn run_zenpy_erasure(mock: &Mock) -> Run {
    let python = std::env::var("ZENDESK_E2E_PYTHON").unwrap_or_else(|_| {
        panic!("ZENDESK_E2E_PYTHON is not set: run .ci/run, or point it at a python with zenpy")
    });
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/clients/zenpy_erasure.py");
    let started = Instant::now();
    let child = tokio::process::Command::new(&python)
        .arg(script)
        .env("ZENDESK_URL", mock.url.trim_start_matches("http://"))
        .env("ZENDESK_EMAIL", ADMIN_EMAIL)
        .env("ZENDESK_TOKEN", ADMIN_TOKEN)
        .env("SUBJECT_EMAIL", SUBJECT_EMAIL)
        .env("ZENPY_FORCE_SCHEME", "http")
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(SCRIPT_TIMEOUT, child)
        .await
        .unwrap_or_else(|_| panic!("{script} still running after {SCRIPT_TIMEOUT:?}"))
        .unwrap_or_else(|e| panic!("cannot run {python} {script}: {e}"));
    Run {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        took: started.elapsed(),
    }
}

/// One Zendesk API request, as the journal recorded it.
struct Request {
    /// Account time, in seconds.
    at: i64,
    method: String,
    path: String,
    status: u16,
}

/// The Zendesk API requests the account received, oldest first (control calls left out).
async fn api_requests(mock: &Mock) -> Vec<Request> {
    let reply = mock.admin().get("/__mock/journal").await;
    assert_eq!(reply.status, 200, "journal: {}", reply.text);
    reply.json["journal"]
        .as_array()
        .expect("journal entries")
        .iter()
        .filter(|e| e["path"].as_str().is_some_and(|p| p.starts_with("/api/")))
        .map(|e| {
            let text = |key: &str| e[key].as_str().unwrap_or_default().to_owned();
            Request {
                at: parse_rfc3339(&text("at")).expect("entry time"),
                method: text("method"),
                path: text("path"),
                status: e["status"]
                    .as_u64()
                    .and_then(|s| s.try_into().ok())
                    .expect("status"),
            }
        })
        .collect()
}

/// One line per request, for failure messages.
fn describe(requests: &[Request]) -> String {
    requests
        .iter()
        .map(|r| format!("{} {} {} → {}\n", r.at, r.method, r.path, r.status))
        .collect()
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
    assert_eq!(run.steps(), expected_steps, "{}", run.transcript());

    let requests = api_requests(&mock).await;
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
    let waits = run.waits();
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
