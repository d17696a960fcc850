//! The proof that the scenarios' assertions can fail: each rule the mock can switch off (the
//! test-only `zendesk_mock::store::BrokenRule`, settable only from Rust) is switched off in a
//! fresh server, one at a time, and the scenario that depends on it runs in that server's own
//! account; it must fail at the step that shows the rule, and pass while the rule holds.

use std::sync::Arc;
use zendesk_conformance::Target;
use zendesk_conformance::scenario::runner::{self, Account};
use zendesk_conformance::scenario::{Scenario, ScenarioError};
use zendesk_mock::MockServer;
use zendesk_mock::store::BrokenRule;

/// A rule, the scenario that shows it, and the start of the failure it must give.
const CASES: &[(BrokenRule, &str, &str)] = &[
    (
        BrokenRule::DeleteGuard,
        "erasure_blocked.yaml",
        "step 1 \"delete the user while two of their tickets are open or solved\": expected status 422, got 200",
    ),
    (
        BrokenRule::OwnerProtection,
        "erasure_permissions.yaml",
        "step 4 \"nobody may delete the account owner, not even the owner\": expected status 403, got 200",
    ),
    (
        BrokenRule::AgentDeletesEndUsersOnly,
        "erasure_permissions.yaml",
        "step 1 \"an agent may not delete another agent\": expected status 403, got 200",
    ),
    (
        BrokenRule::PermanentDeleteNeedsSoftDelete,
        "erasure_happy_path.yaml",
        "step 11 \"a user must be soft-deleted before the permanent delete\": expected status 404, got 200",
    ),
    (
        BrokenRule::PlaceholderName,
        "erasure_purge.yaml",
        "step 9 \"only the placeholder is left\": $.deleted_user.name: expected \"Permanently Deleted User\", got \"Jane Doe\"",
    ),
    (
        BrokenRule::ClosedTicketUpdate,
        "erasure_closed_ticket.yaml",
        "step 4 \"a closed ticket cannot be reopened to redact it\": expected status 422, got 200",
    ),
    (
        BrokenRule::LegacyRedactionRefusesClosed,
        "erasure_closed_ticket.yaml",
        "step 2 \"redacting a closed ticket's comment is refused\": expected status 422, got 200",
    ),
    (
        BrokenRule::RedactionBlocks,
        "erasure_happy_path.yaml",
        "step 5 \"redact the email in the first comment\": $.comment.body: expected \"My order has not arrived. Write to ▇",
    ),
    (
        BrokenRule::SuspendedRequester,
        "objection_suspend.yaml",
        "step 4 \"a ticket cannot be opened for them\": expected status 422, got 201",
    ),
    (
        BrokenRule::UniqueIdentities,
        "rectification_email.yaml",
        "step 1 \"an address another user holds cannot be added\": expected status 422, got 201",
    ),
];

/// Runs `file` in the own account of a new server that has `broken` switched off.
async fn run(file: &str, broken: Option<BrokenRule>) -> Result<(), ScenarioError> {
    let server = MockServer::builder().demo(false).start().await;
    if let Some(rule) = broken {
        server.settings_mut(|settings| settings.broken.insert(rule));
    }
    let target = Target::for_server(Arc::new(server));
    let path = format!("../scenarios/{file}");
    let scenario = Scenario::load(path.as_ref()).unwrap_or_else(|e| panic!("{e}"));
    runner::run_with(&target, &scenario, Account::Own).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_broken_rule_fails_the_scenario_that_shows_it_at_the_right_step() {
    let mut problems = Vec::new();
    for &(rule, file, expected) in CASES {
        if let Err(error) = run(file, None).await {
            problems.push(format!("{file} must pass while {rule:?} holds:\n{error}"));
            continue;
        }
        match run(file, Some(rule)).await {
            Ok(()) => problems.push(format!("{file} passed with {rule:?} switched off")),
            Err(error) => {
                let shown = error.to_string();
                let wanted = format!("../scenarios/{file}: {expected}");
                if !shown.starts_with(&wanted) {
                    problems.push(format!(
                        "{file} with {rule:?} switched off should fail with\n{wanted}\ngot:\n{shown}"
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[tokio::test]
async fn a_scenario_in_the_own_account_starts_from_an_empty_account() {
    let server = Arc::new(MockServer::builder().demo(false).start().await);
    let target = Target::for_server(server);
    let scenario = Scenario::load("../scenarios/erasure_blocked.yaml".as_ref()).expect("reads");
    // Twice in the same account: the second run would find the first run's users (and their
    // emails taken) if the account were not emptied first.
    for round in 1..=2 {
        runner::run_with(&target, &scenario, Account::Own)
            .await
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
    }
}
