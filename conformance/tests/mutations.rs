//! The mutation proof: for each of twelve rules, a server with that rule switched off (a
//! test-only switch, `zendesk_mock::store::BrokenRule`, settable only from Rust) makes the
//! matching check fail with a message that names the check, states the rule, and says what
//! was expected and what came back. The same check passes on a server that keeps the rule.

use std::sync::Arc;
use zendesk_conformance::Target;
use zendesk_conformance::checks;
use zendesk_conformance::runner::{self, CheckResult, Quiet, RunOptions, Status};
use zendesk_mock::MockServer;
use zendesk_mock::store::BrokenRule;

/// (the rule switched off, the check that must catch it, what its message must say)
const CASES: &[(BrokenRule, &str, &str)] = &[
    (
        BrokenRule::DeleteGuard,
        "users.delete.guard_unclosed_requested_tickets",
        "expected a refusal (4xx) to delete the requester of a open ticket",
    ),
    (
        BrokenRule::OwnerProtection,
        "users.delete.owner_forbidden",
        "delete the account owner: expected status 403, got 200",
    ),
    (
        BrokenRule::AgentDeletesEndUsersOnly,
        "users.delete.agent_cannot_delete_staff",
        "expected status 403, got 200",
    ),
    (
        BrokenRule::FreeIdentitiesOnSoftDelete,
        "users.soft_delete.frees_identities",
        "expected status 201, got 422",
    ),
    (
        BrokenRule::PermanentDeleteNeedsSoftDelete,
        "users.permanent_delete.requires_soft_delete",
        "expected status 404, got 200",
    ),
    (
        BrokenRule::PlaceholderName,
        "users.permanent_delete.leaves_placeholder",
        "expected /deleted_user/name = \"Permanently Deleted User\", got \"Conformance",
    ),
    (
        BrokenRule::ClosedTicketUpdate,
        "tickets.closed.rejects_update",
        "update a closed ticket: expected status 422, got 200",
    ),
    (
        BrokenRule::SuspendedRequester,
        "tickets.create.suspended_requester_422",
        "expected status 422, got 201",
    ),
    (
        BrokenRule::LegacyRedactionRefusesClosed,
        "redact.legacy.refuses_closed",
        "legacy redaction on a closed ticket: expected status 422, got 200",
    ),
    (
        BrokenRule::RedactionBlocks,
        "redact.replaces_each_char_with_block",
        "the comment read back: expected /comments/0/body = \"My SSN is ▇▇▇▇▇▇▇▇▇▇▇, thanks\", got \"My SSN is ***********, thanks\"",
    ),
    (
        BrokenRule::UniqueIdentities,
        "identities.create.duplicate_value_422",
        "add another user's email as an identity: expected status 422, got 201",
    ),
    (
        BrokenRule::BulkLimit,
        "bulk.tickets.create_many_max_100_body",
        "create_many with 101 tickets: expected status 400, got 200",
    ),
];

/// Runs the check named `name` in the server's own account (rules broken there apply).
async fn run_check(server: MockServer, name: &str) -> CheckResult {
    let check = checks::all()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no check {name}"));
    let target = Target::for_server(Arc::new(server));
    let options = RunOptions {
        fresh_accounts: false,
        ..RunOptions::default()
    };
    let report = runner::run(&target, &[check], &options, &mut Quiet).await;
    report.results.into_iter().next().expect("one result")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_broken_rule_fails_its_check_with_a_readable_message() {
    assert!(CASES.len() >= 10);
    let mut problems = Vec::new();
    for &(rule, name, expected) in CASES {
        let intact = run_check(MockServer::builder().demo(false).start().await, name).await;
        if intact.status != Status::Passed {
            problems.push(format!("{name} must pass while {rule:?} holds:\n{intact}"));
            continue;
        }
        let server = MockServer::builder().demo(false).start().await;
        server.settings_mut(|settings| settings.broken.insert(rule));
        let broken = run_check(server, name).await;
        let shown = broken.to_string();
        let rule_text = checks::all()
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.rule)
            .unwrap_or_default();
        let readable = shown.starts_with(&format!("FAIL {name} ("))
            && shown.contains(rule_text)
            && broken
                .message
                .as_deref()
                .is_some_and(|m| m.contains(expected) && m.contains("request:"));
        if broken.status != Status::Failed || !readable {
            problems.push(format!(
                "{name} with {rule:?} switched off should fail saying `{expected}`; got:\n{shown}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[tokio::test]
async fn broken_rules_cannot_be_set_or_seen_over_http() {
    let server = MockServer::builder().demo(false).start().await;
    server.settings_mut(|settings| settings.broken.insert(BrokenRule::DeleteGuard));
    let target = Target::for_server(Arc::new(server));
    let client = target.client();
    let shown = client.mock_settings().await.expect("settings");
    assert_eq!(shown.status, 200, "{shown}");
    assert!(shown.body.get("broken").is_none(), "{shown}");
    let patch = client
        .update_mock_settings(serde_json::json!({"broken": ["DeleteGuard"]}))
        .await
        .expect("answer");
    assert_eq!(patch.status, 400, "{patch}");

    let mut settings = zendesk_mock::store::Settings::default();
    settings.broken.insert(BrokenRule::DeleteGuard);
    let json = serde_json::to_value(&settings).expect("settings serialize");
    let back: zendesk_mock::store::Settings = serde_json::from_value(json).expect("and read back");
    assert_eq!(
        back.broken,
        Default::default(),
        "nothing broken survives JSON"
    );
}
