//! What only the crate can see: the rebuilt identity index equals the one kept while serving,
//! and the strictness of the nested record shapes.

use super::{AccountSnapshot, Snapshot};
use crate::{Options, build_state};
use serde_json::{Value, json};

fn demo() -> AccountSnapshot {
    let state = build_state(&Options::default()).expect("demo");
    let account = state.registry.default_account().expect("default account");
    account.write(|data| {
        let now = data.now();
        data.events
            .push(now, crate::store::events::Event::WorldSeeded);
    });
    account.read(AccountSnapshot::capture)
}

#[test]
fn a_loaded_account_rebuilds_the_identity_index_it_was_serving_with() {
    let state = build_state(&Options::default()).expect("demo");
    let account = state.registry.default_account().expect("default account");
    let (snapshot, index) =
        account.read(|d| (AccountSnapshot::capture(d), d.identity_index.clone()));
    assert!(!index.is_empty());
    let json = serde_json::to_value(&snapshot).expect("serializes");
    let read: AccountSnapshot = serde_json::from_value(json.clone()).expect("reads back");
    let data = read.into_data(10_000).expect("loads");
    assert_eq!(data.identity_index, index);
    let again = serde_json::to_value(AccountSnapshot::capture(&data)).expect("serializes");
    assert_eq!(again, json);
}

/// `pointer` into the demo account's JSON, changed by `change`; the reading error.
fn refusal(pointer: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut account = serde_json::to_value(demo()).expect("serializes");
    change(
        account
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("no {pointer}")),
    );
    let document = json!({"version": 1, "accounts": [account]});
    match Snapshot::parse(document.to_string().as_bytes()) {
        Ok(snapshot) => {
            let [account] = <[AccountSnapshot; 1]>::try_from(snapshot.accounts).expect("one");
            match account.into_data(100) {
                Ok(_) => panic!("{pointer}: loaded"),
                Err(reason) => reason,
            }
        }
        Err(reason) => reason,
    }
}

#[test]
fn unknown_fields_are_refused_at_every_depth() {
    let cases = [
        "/users/0",
        "/identities/0",
        "/tickets/0",
        "/comments/0",
        "/audits/0",
        "/attachments/0",
        "/suspended_tickets/0",
        "/events/entries/0",
        "/events",
        "/settings",
        "/clock",
        "/ids",
        "/users/0/lifecycle",
    ];
    for pointer in cases {
        let reason = refusal(pointer, |v| {
            v["surprise"] = json!(1);
        });
        assert!(reason.contains("unknown field"), "{pointer}: {reason}");
    }
}

#[test]
fn broken_references_and_counters_are_refused_with_a_reason() {
    type Case = (&'static str, &'static str, fn(&mut Value));
    let cases: [Case; 5] = [
        ("/identities/0", "names user", |v| v["user_id"] = json!(1)),
        ("/comments/0", "not its own", |v| {
            v["ticket_id"] = json!(999)
        }),
        ("/owner_id", "owner", |v| *v = json!(2)),
        ("/ids", "counters", |v| v["next"] = json!(1)),
        ("/attachments/0", "base64", |v| v["content"] = json!("%%%")),
    ];
    for (pointer, expected, change) in cases {
        let reason = refusal(pointer, change);
        assert!(reason.contains(expected), "{pointer}: {reason}");
    }
}

#[test]
fn every_kind_of_job_reads_back_with_its_type() {
    use crate::store::jobs::JobWork;
    let state = build_state(&Options::default()).expect("demo");
    let account = state.registry.default_account().expect("default account");
    let works = [
        JobWork::CreateUsers(Vec::new()),
        JobWork::CreateOrUpdateUsers(Vec::new()),
        JobWork::UpdateUsers(Vec::new()),
        JobWork::DestroyUsers(Vec::new()),
        JobWork::CreateTickets(Vec::new()),
        JobWork::UpdateTickets(Vec::new()),
        JobWork::DestroyTickets(Vec::new()),
        JobWork::PermanentlyDeleteTicket(1),
        JobWork::PermanentlyDeleteTickets(Vec::new()),
    ];
    let snapshot = account.write(|data| {
        let owner = data.caller_for(data.owner_id).expect("owner");
        for work in works {
            data.enqueue_job(&owner, work);
        }
        AccountSnapshot::capture(data)
    });
    let json = serde_json::to_value(&snapshot).expect("serializes");
    let read: AccountSnapshot = serde_json::from_value(json).expect("every job type reads back");
    let types: Vec<&str> = read.jobs.iter().map(|j| j.job_type).collect();
    let wanted: Vec<&str> = snapshot.jobs.iter().map(|j| j.job_type).collect();
    assert_eq!(types, wanted);
}
