//! node-zendesk, a real client that follows `links.next` and never retries, drives the server
//! over real HTTP: users and identities, pagination to the end of long lists, tickets and
//! comments, bulk calls with job polling, deletes and permanent deletes, the requester guard,
//! redaction, a rate-limited run, and search (`queryAll` over offset pages, the results count,
//! `exportResults` over cursors). The script is `tests/clients/node_suite.js`; it loads
//! node-zendesk from `ZENDESK_E2E_NODE_MODULES` (`.ci/run` installs the pinned version and sets
//! it), so the test is ignored by a plain `cargo test`.

mod clients;
#[path = "../../mock-server/tests/common/mod.rs"]
mod common;

use clients::{Run, required_env, run_script};
use common::world::{NewAccount, create_account};
use common::{ADMIN_EMAIL, ADMIN_TOKEN, Client, Mock};
use serde_json::{Value, json};
use std::time::Duration;

/// Bounds a hung client; each step of the script gives up after 15 s of its own.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(120);
/// End users in the pagination account: with its owner, 251 users — three cursor pages.
const PAGES_END_USERS: usize = 250;
const PAGES_TICKETS: usize = 250;
/// Users in the rate-limited account: with its owner, two pages of users.
const LIMITED_END_USERS: usize = 150;
/// The Essential plan's requests a minute.
const ESSENTIAL_LIMIT: usize = 10;

/// Every step the script runs, in order.
const STEPS: [&str; 11] = [
    "users",
    "identities",
    "pagination: users",
    "pagination: tickets",
    "tickets",
    "bulk",
    "deletes",
    "guard",
    "redaction",
    "rate limits",
    "search",
];

/// The default account's world: what the steps that do not make their own records need.
fn world() -> Value {
    json!({
        "users": [
            {"ref": "gus", "name": "Gus Guarded", "email": "gus.guarded@example.org", "verified": true},
            {"ref": "della", "name": "Della Deleted", "email": "della.deleted@example.org", "verified": true},
            {"ref": "dora", "name": "Dora Doomed", "email": "dora.doomed@example.org", "verified": true},
            {"ref": "carl", "name": "Carl Closed", "email": "carl.closed@example.org", "verified": true},
            {"ref": "fay", "name": "Fay Files", "email": "fay.files@example.org", "verified": true}
        ],
        "tickets": [
            {"ref": "guard_ticket", "subject": "Still open", "requester": "gus", "status": "open",
             "comments": [{"body": "Please keep this open."}]},
            {"ref": "closed_ticket", "subject": "Long done", "requester": "carl", "status": "closed",
             "comments": [{"body": "Thanks, all sorted."}]},
            {"ref": "doomed_ticket", "subject": "Delete me", "requester": "dora", "status": "open",
             "comments": [{"body": "Nothing to keep."}]},
            {"ref": "files_ticket", "subject": "My documents", "requester": "fay", "status": "open",
             "comments": [{"body": "My card is 4111 1111 1111 1111, passport attached.",
                           "attachments": [{"file_name": "passport.txt",
                                            "content": "P<UTOERIKSSON<<ANNA<MARIA"}]}]}
        ]
    })
}

/// `n` end users, and one ticket for each of the first `tickets` of them.
fn long_lists(domain: &str, n: usize, tickets: usize) -> Value {
    let email = |i: usize| format!("user{i:03}@{domain}");
    let users: Vec<Value> = (1..=n)
        .map(|i| json!({"name": format!("User {i:03}"), "email": email(i), "verified": true}))
        .collect();
    let tickets: Vec<Value> = (1..=tickets)
        .map(|i| {
            json!({"subject": format!("Ticket {i:03}"), "requester": email(i),
                   "comments": [{"body": format!("Question {i}")}]})
        })
        .collect();
    json!({"users": users, "tickets": tickets})
}

async fn seed(client: &Client<'_>, world: Value) -> Value {
    let reply = client.post("/__mock/seed", world).await;
    assert_eq!(reply.status, 200, "seed: {}", reply.text);
    reply.json
}

async fn control(client: &Client<'_>, method: &str, path: &str, body: Value) {
    let reply = match method {
        "PATCH" => client.patch(path, body).await,
        _ => client.put(path, body).await,
    };
    assert_eq!(reply.status, 200, "{method} {path}: {}", reply.text);
}

/// Runs the suite under `node` with the accounts' credentials.
async fn run_node_suite(
    mock: &Mock,
    refs: &Value,
    pages: &NewAccount,
    limited: &NewAccount,
) -> Run {
    let modules = required_env(
        "ZENDESK_E2E_NODE_MODULES",
        "node_modules holding node-zendesk",
    );
    let env = [
        ("ZENDESK_E2E_NODE_MODULES", modules),
        ("ZENDESK_URL", mock.url.clone()),
        ("ZENDESK_EMAIL", ADMIN_EMAIL.to_owned()),
        ("ZENDESK_TOKEN", ADMIN_TOKEN.to_owned()),
        ("ZENDESK_SEED", refs.to_string()),
        ("PAGES_EMAIL", pages.email.clone()),
        ("PAGES_TOKEN", pages.token.clone()),
        ("PAGES_USERS", (PAGES_END_USERS + 1).to_string()),
        ("PAGES_TICKETS", PAGES_TICKETS.to_string()),
        ("LIMITED_EMAIL", limited.email.clone()),
        ("LIMITED_TOKEN", limited.token.clone()),
        ("LIMITED_USERS", (LIMITED_END_USERS + 1).to_string()),
        ("LIMITED_LIMIT", ESSENTIAL_LIMIT.to_string()),
    ];
    run_script("node", "node_suite.js", &env, SCRIPT_TIMEOUT).await
}

#[tokio::test]
#[ignore = "needs node-zendesk: run .ci/run, or set ZENDESK_E2E_NODE_MODULES"]
async fn node_zendesk_drives_every_area_and_paginates_long_lists_to_the_end() {
    let mock = Mock::empty().await;

    // The default account: the functional steps. Jobs run in the background, so
    // node-zendesk's own poller has something to wait for.
    let admin = mock.admin();
    let refs = seed(&admin, world()).await["refs"].clone();
    control(
        &admin,
        "PATCH",
        "/__mock/settings",
        json!({"job_mode": "background"}),
    )
    .await;

    // Only long lists: the owner, 250 end users, 250 tickets.
    let pages = create_account(&mock, "pages").await;
    seed(
        &pages.admin(&mock),
        long_lists("pages.example.org", PAGES_END_USERS, PAGES_TICKETS),
    )
    .await;

    // Rate limits on (Essential: 10 requests a minute) and a frozen clock, so the window
    // never resets during the run.
    let limited = create_account(&mock, "limited").await;
    let limited_admin = limited.admin(&mock);
    seed(
        &limited_admin,
        long_lists("limited.example.org", LIMITED_END_USERS, 0),
    )
    .await;
    control(
        &limited_admin,
        "PUT",
        "/__mock/clock",
        json!({"now": "2030-01-01T00:00:00Z", "frozen": true}),
    )
    .await;
    control(
        &limited_admin,
        "PATCH",
        "/__mock/settings",
        json!({"rate_limits": "essential"}),
    )
    .await;

    let run = run_node_suite(&mock, &refs, &pages, &limited).await;
    let steps = run.steps();
    let failed: Vec<String> = steps
        .iter()
        .filter(|s| !s.ok)
        .map(|s| format!("step {:?} failed: {}", s.name, s.detail))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} steps failed:\n{}\n--- stderr\n{}",
        failed.len(),
        steps.len(),
        failed.join("\n"),
        run.stderr
    );
    let names: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, STEPS, "every step ran once\n{}", run.transcript());
    assert!(
        run.success,
        "the script exited with failure\n{}",
        run.transcript()
    );
    eprintln!(
        "node-zendesk suite: {} steps in {:?}\n{}",
        steps.len(),
        run.took,
        run.stdout
    );
}
