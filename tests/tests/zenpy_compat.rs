//! zenpy 2.0.57, a real client, drives the mock over real HTTP through the calls privacy tooling
//! makes (facts §14): users and identities, pagination to the end of 250-item lists, tickets and
//! comments, bulk calls with job polling, redaction, deletes and permanent deletes, the
//! open-ticket guard, and search (`search()` paged to the end, `search.count`, `search_export`,
//! and a redaction that takes a ticket out of the results). The script is
//! `tests/clients/zenpy_suite.py`; it prints one JSON line per
//! step and carries on after a failure, and this test fails naming every failed step. It runs
//! under the Python named by `ZENDESK_E2E_PYTHON` (`.ci/run` makes a venv with zenpy and sets
//! it), so it is ignored by a plain `cargo test`.
//!
//! Two accounts: the default one is seeded with 250 end users (251 with the owner) and 250
//! tickets and only ever listed, so the pagination counts are exact whatever the other steps
//! create; every other step writes to a fresh account, `compat`, which zenpy reaches through its
//! admin's token (the `Host` it sends is an IP address).

mod clients;
#[path = "../../mock-server/tests/common/mod.rs"]
mod common;

use clients::{Run, api_requests, describe, required_env, run_script};
use common::world::{NewAccount, create_account};
use common::{ADMIN_EMAIL, ADMIN_TOKEN, Mock};
use serde_json::{Value, json};
use std::time::Duration;

/// End users seeded into the paginated account; with its owner it lists one more.
const SEEDED_USERS: usize = 250;
const SEEDED_TICKETS: usize = 250;
/// What zenpy asks for (`page[size]=100`): the pages each 250-item list takes.
const PAGES: usize = 3;
/// Bounds a hung client; the script normally takes about a second.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(60);

/// Every step the script reports, in order.
const STEPS: [&str; 15] = [
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
    "search: paginated",
    "search: redaction",
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

/// Runs the suite under `ZENDESK_E2E_PYTHON`: writes go to `work`, pagination reads the default
/// account.
async fn run_zenpy_suite(mock: &Mock, work: &NewAccount) -> Run {
    let python = required_env("ZENDESK_E2E_PYTHON", "a python with zenpy");
    let env = [
        (
            "ZENDESK_URL",
            mock.url.trim_start_matches("http://").to_owned(),
        ),
        ("ZENDESK_EMAIL", work.email.clone()),
        ("ZENDESK_TOKEN", work.token.clone()),
        ("PAGES_EMAIL", ADMIN_EMAIL.to_owned()),
        ("PAGES_TOKEN", ADMIN_TOKEN.to_owned()),
        ("EXPECT_USERS", (SEEDED_USERS + 1).to_string()),
        ("EXPECT_TICKETS", SEEDED_TICKETS.to_string()),
        ("ZENPY_FORCE_SCHEME", "http".to_owned()),
    ];
    run_script(&python, "zenpy_suite.py", &env, SCRIPT_TIMEOUT).await
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
            .filter(|r| r.method == "GET" && r.path == list)
            .collect();
        assert_eq!(
            pages.len(),
            PAGES,
            "GET {list}: {}",
            describe(&paged_requests)
        );
        assert!(
            pages.iter().all(|r| r.status == 200),
            "GET {list}: {}",
            describe(&paged_requests)
        );
    }
}
