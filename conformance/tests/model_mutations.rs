//! The model run can fail, shown from the server's side: for each rule the model covers, an
//! in-process server with that rule switched off (`zendesk_mock::store::BrokenRule`, settable
//! from Rust only) must disagree with the model, and the disagreement must shrink to a short
//! sequence that shows the rule. The rule is switched off in every fresh account the run makes
//! (through [`AccountHook`]).
//!
//! Budget: ten rules, each stopping at its first disagreement (512 sequences at most, of up to
//! 15 steps) and shrinking for at most 15 s. Measured on the 2-core machine (debug build, load
//! average 4–5): 0.2–4 s per rule, the file in 9–12 s.

use std::sync::Arc;
use std::time::Duration;
use zendesk_conformance::Target;
use zendesk_conformance::model::{self, AccountHook, ModelConfig};
use zendesk_mock::MockServer;
use zendesk_mock::store::BrokenRule;

/// One seed for every rule, so a run is reproducible.
const SEED: u64 = 1;

/// Runs the model against a fresh in-process server whose accounts have `rule` switched off,
/// and checks the shrunk failure: at most six steps, and `shows` somewhere in it.
async fn assert_caught(rule: BrokenRule, shows: &str) {
    let server = Arc::new(MockServer::builder().demo(false).start().await);
    let registry = server.state().registry.clone();
    let hook = AccountHook(Arc::new(move |subdomain: &str| {
        if let Some(account) = registry.get(subdomain) {
            account.write(|data| data.settings.broken.insert(rule));
        }
    }));
    let config = ModelConfig {
        cases: 512,
        seed: Some(SEED),
        max_steps: 15,
        max_shrink_time: Duration::from_secs(15),
        on_account: Some(hook),
        ..ModelConfig::default()
    };
    let report = model::run(&Target::for_server(server), &config).await;
    let failure = report
        .failure()
        .unwrap_or_else(|| panic!("{rule:?} switched off went unnoticed:\n{report}"));
    let text = failure.to_string();
    eprintln!(
        "{rule:?} switched off ({} sequences, {:.1} s):\n{text}",
        report.sequences_run,
        report.elapsed.as_secs_f64()
    );
    assert!(
        failure.steps.len() <= 6,
        "{rule:?}: shrunk to {} steps:\n{text}",
        failure.steps.len()
    );
    assert!(
        text.contains(shows),
        "{rule:?}: expected {shows:?} in\n{text}"
    );
}

macro_rules! caught {
    ($($name:ident: $rule:ident shows $shows:literal;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            assert_caught(BrokenRule::$rule, $shows).await;
        }
    )*};
}

caught! {
    deleting_a_requester_of_open_tickets: DeleteGuard shows "create ticket";
    deleting_the_owner: OwnerProtection shows "u0";
    identities_kept_after_soft_delete: FreeIdentitiesOnSoftDelete shows "already being used";
    permanent_delete_of_an_active_user: PermanentDeleteNeedsSoftDelete shows "permanently delete";
    no_placeholder_name: PlaceholderName shows "Permanently Deleted User";
    closed_ticket_updates: ClosedTicketUpdate shows "closed prevents ticket update";
    tickets_for_suspended_requesters: SuspendedRequester shows "suspend";
    legacy_redaction_on_closed_tickets: LegacyRedactionRefusesClosed shows "legacy /redact";
    redaction_without_blocks: RedactionBlocks shows "*";
    shared_identity_values: UniqueIdentities shows "already being used";
}
