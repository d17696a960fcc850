//! zenpy 2.0.57, a real client, drives the mock over real HTTP through the calls privacy tooling
//! makes (facts §14): users and identities, pagination to the end of 250-item lists, tickets and
//! comments, bulk calls with job polling, redaction, deletes and permanent deletes, and the
//! open-ticket guard. The script is `tests/clients/zenpy_suite.py`; it prints one JSON line per
//! step and carries on after a failure, and this test fails naming every failed step. It runs
//! under the Python named by `ZENDESK_E2E_PYTHON` (`.ci/run` makes a venv with zenpy and sets
//! it), so it is ignored by a plain `cargo test`.
//!
//! Two accounts: the default one is seeded with 250 end users (251 with the owner) and 250
//! tickets and only ever listed, so the pagination counts are exact whatever the other steps
//! create; every other step writes to a fresh account, `compat`, which zenpy reaches through its
//! admin's token (the `Host` it sends is an IP address).

#[path = "../../mock-server/tests/common/mod.rs"]
mod common;

use common::world::{NewAccount, create_account};
use common::{ADMIN_EMAIL, ADMIN_TOKEN, Client, Mock};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// End users seeded into the paginated account; with its owner it lists one more.
const SEEDED_USERS: usize = 250;
const SEEDED_TICKETS: usize = 250;
/// What zenpy asks for (`page[size]=100`): the pages each 250-item list takes.
const PAGES: usize = 3;
/// Bounds a hung client; the script normally takes about a second.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(60);

/// Every step the script reports, in order.
const STEPS: [&str; 13] = [
    "users",
    "identities",
    "pagination: users",
    "pagination: tickets",
    "tickets",
    "bulk: users create_many",
    "bulk: tickets update_many",
    "bulk: users destroy_many",
    "redaction: string",
    "redaction: attachment",
    "deletes: ticket",
    "deletes: user",
    "guard: open ticket",
];

/// 250 end users, each the requester of one open ticket.
fn pagination_world() -> Value {
    let users: Vec<Value> = (1..=SEEDED_USERS)
        .map(|n| {
            json!({"ref": format!("u{n}"), "name": format!("Page User {n}"),
                   "email": format!("page{n}@pages.example.org"), "verified": true})
        })
        .collect();
    let tickets: Vec<Value> = (1..=SEEDED_TICKETS)
        .map(|n| {
            json!({"subject": format!("Page ticket {n}"),
                   "requester": format!("u{}", (n - 1) % SEEDED_USERS + 1),
                   "comments": [{"body": format!("Ticket number {n}.")}]})
        })
        .collect();
    json!({"users": users, "tickets": tickets})
}

/// What the script printed and how it ended.
struct Run {
    success: bool,
    stdout: String,
    stderr: String,
    took: Duration,
}

/// One line of the script's report.
struct Step {
    name: String,
    ok: bool,
    detail: Value,
}

impl Run {
    /// The step lines, in order; a line that is not one becomes a failed step named by it.
    fn steps(&self) -> Vec<Step> {
        self.stdout
            .lines()
            .map(|line| match serde_json::from_str::<Value>(line) {
                Ok(step) if step["step"].is_string() && step["ok"].is_boolean() => Step {
                    name: step["step"].as_str().unwrap_or_default().to_owned(),
                    ok: step["ok"] == true,
                    detail: step["detail"].clone(),
                },
                _ => Step {
                    name: format!("(not a step line) {line}"),
                    ok: false,
                    detail: Value::Null,
                },
            })
            .collect()
    }
}

/// Runs the suite under `ZENDESK_E2E_PYTHON`: writes go to `work`, pagination reads the default
/// account. The server keeps serving meanwhile: the child is awaited, not blocked on.
async fn run_zenpy_suite(mock: &Mock, work: &NewAccount) -> Run {
    let python = std::env::var("ZENDESK_E2E_PYTHON").unwrap_or_else(|_| {
        panic!("ZENDESK_E2E_PYTHON is not set: run .ci/run, or point it at a python with zenpy")
    });
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/clients/zenpy_suite.py");
    let started = Instant::now();
    let child = tokio::process::Command::new(&python)
        .arg(script)
        .env("ZENDESK_URL", mock.url.trim_start_matches("http://"))
        .env("ZENDESK_EMAIL", &work.email)
        .env("ZENDESK_TOKEN", &work.token)
        .env("PAGES_EMAIL", ADMIN_EMAIL)
        .env("PAGES_TOKEN", ADMIN_TOKEN)
        .env("EXPECT_USERS", (SEEDED_USERS + 1).to_string())
        .env("EXPECT_TICKETS", SEEDED_TICKETS.to_string())
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

/// The Zendesk API requests an account received, oldest first (control calls left out), as
/// `(method, path, query, status)`.
async fn api_requests(client: &Client<'_>) -> Vec<(String, String, String, u64)> {
    let reply = client.get("/__mock/journal").await;
    assert_eq!(reply.status, 200, "journal: {}", reply.text);
    reply.json["journal"]
        .as_array()
        .expect("journal entries")
        .iter()
        .filter(|e| e["path"].as_str().is_some_and(|p| p.starts_with("/api/")))
        .map(|e| {
            let text = |key: &str| e[key].as_str().unwrap_or_default().to_owned();
            let status = e["status"].as_u64().unwrap_or_default();
            (text("method"), text("path"), text("query"), status)
        })
        .collect()
}

/// One line per request, for failure messages.
fn describe(requests: &[(String, String, String, u64)]) -> String {
    requests
        .iter()
        .map(|(method, path, query, status)| {
            let query = if query.is_empty() {
                String::new()
            } else {
                format!("?{query}")
            };
            format!("{method} {path}{query} → {status}\n")
        })
        .collect()
}

#[tokio::test]
#[ignore = "needs zenpy: run .ci/run, or set ZENDESK_E2E_PYTHON"]
async fn zenpy_drives_users_tickets_bulk_jobs_redaction_and_deletes_over_real_http() {
    let mock = Mock::empty().await;
    let seeded = mock.admin().post("/__mock/seed", pagination_world()).await;
    assert_eq!(seeded.status, 200, "seeding: {}", seeded.text);
    let work = create_account(&mock, "compat").await;

    let run = run_zenpy_suite(&mock, &work).await;
    let steps = run.steps();
    let mut problems: Vec<String> = steps
        .iter()
        .filter(|s| !s.ok)
        .map(|s| format!("FAILED {}: {:#}", s.name, s.detail))
        .collect();
    let names: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
    if names != STEPS {
        problems.push(format!(
            "the steps reported were {names:?}, expected {STEPS:?}"
        ));
    }
    if run.success != problems.is_empty() {
        problems.push(format!(
            "the script exited {} with {} problem(s) found",
            if run.success { "0" } else { "non-zero" },
            problems.len()
        ));
    }
    let work_requests = api_requests(&work.admin(&mock)).await;
    let paged_requests = api_requests(&mock.admin()).await;
    assert!(
        problems.is_empty(),
        "zenpy compatibility suite ({:?}):\n{}\n--- stderr\n{}--- journal of the compat \
         account\n{}--- journal of the paginated account\n{}",
        run.took,
        problems.join("\n"),
        run.stderr,
        describe(&work_requests),
        describe(&paged_requests),
    );

    // The server's side of "without looping": each list took exactly its three pages, every
    // one answered 200 — zenpy stopped at `has_more:false`.
    for list in ["/api/v2/users.json", "/api/v2/tickets.json"] {
        let pages: Vec<_> = paged_requests
            .iter()
            .filter(|(method, path, _, _)| method == "GET" && path == list)
            .collect();
        assert_eq!(
            pages.len(),
            PAGES,
            "GET {list}: {}",
            describe(&paged_requests)
        );
        assert!(
            pages.iter().all(|(_, _, _, status)| *status == 200),
            "GET {list}: {}",
            describe(&paged_requests)
        );
    }
}
