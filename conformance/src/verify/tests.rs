//! The properties on hand-made evidence: findings no generated world of the default sizes
//! provokes (a batch of 101 ids), and the edges of the ones that it does.

use super::evidence::{Evidence, Hit, Ids, JournalEntry};
use super::state::AccountState;
use super::{ErasePolicy, limits_jobs, residue};
use crate::world::{Person, Role, Subject, World};
use serde_json::{Value, json};

const SUBJECT: i64 = 10;
const NAMESAKE: i64 = 20;

fn world() -> World {
    World {
        subject: Subject {
            name: "Jane Roe".to_owned(),
            emails: vec!["jane.roe@example.org".to_owned()],
            phone: None,
            address: None,
            suspended: false,
        },
        people: vec![Person {
            reference: "namesake-0".to_owned(),
            role: Role::Namesake,
            name: "Jane Roe".to_owned(),
            email: "jane.roe.0@elsewhere.test".to_owned(),
            phone: None,
            address: None,
            suspended: false,
        }],
        tickets: Vec::new(),
        suspended: Vec::new(),
        plants: Vec::new(),
    }
}

fn evidence(journal: Vec<JournalEntry>, events: Vec<Value>, residue: Vec<Hit>) -> Evidence {
    Evidence {
        ids: Ids {
            subject: SUBJECT,
            people: vec![NAMESAKE],
            ..Ids::default()
        },
        before: AccountState::default(),
        after: AccountState::default(),
        residue,
        events,
        journal,
        export: None,
        inbound: Vec::new(),
    }
}

fn request(seq: u64, at: i64, method: &str, path: &str, query: &str, status: u16) -> JournalEntry {
    JournalEntry {
        seq,
        at,
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        status,
        user_id: Some(1),
        retry_after: None,
        events_seq: Some(0),
    }
}

#[test]
fn a_batch_of_101_ids_is_a_finding_and_100_is_not() {
    let ids = |n: i64| {
        (1..=n)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join("%2C")
    };
    let journal = vec![
        request(
            1,
            0,
            "DELETE",
            "/api/v2/tickets/destroy_many.json",
            &format!("ids={}", ids(100)),
            200,
        ),
        request(
            2,
            0,
            "DELETE",
            "/api/v2/tickets/destroy_many.json",
            &format!("ids={}", ids(101)),
            400,
        ),
    ];
    let verdict = limits_jobs::check(&world(), &evidence(journal, Vec::new(), Vec::new()));
    assert_eq!(verdict.findings.len(), 1, "{verdict}");
    assert!(verdict.findings[0].contains("101 ids"), "{verdict}");
}

#[test]
fn only_a_poll_answered_after_the_job_completed_counts() {
    let events = vec![
        json!({"seq": 5, "type": "JobQueued", "job_id": "V3-a", "job_type": "Bulk Update Ticket"}),
        json!({"seq": 7, "type": "JobCompleted", "job_id": "V3-a", "job_type": "Bulk Update Ticket"}),
    ];
    let poll = |events_seq| JournalEntry {
        events_seq: Some(events_seq),
        ..request(3, 0, "GET", "/api/v2/job_statuses/V3-a.json", "", 200)
    };
    let early = limits_jobs::check(
        &world(),
        &evidence(vec![poll(6)], events.clone(), Vec::new()),
    );
    assert!(
        early
            .findings
            .iter()
            .any(|f| f.contains("never polled to completion")),
        "{early}"
    );
    let done = limits_jobs::check(&world(), &evidence(vec![poll(7)], events, Vec::new()));
    assert!(done.passed, "{done}");
}

#[test]
fn a_retry_before_retry_after_has_passed_is_a_finding() {
    let refused = JournalEntry {
        retry_after: Some(2),
        ..request(1, 100, "GET", "/api/v2/users/10.json", "", 429)
    };
    let retry = |at| request(2, at, "GET", "/api/v2/users/10.json", "", 200);
    let soon = limits_jobs::check(
        &world(),
        &evidence(vec![refused.clone(), retry(101)], Vec::new(), Vec::new()),
    );
    assert!(
        soon.findings.iter().any(|f| f.contains("Retry-After: 2")),
        "{soon}"
    );
    let later = limits_jobs::check(
        &world(),
        &evidence(vec![refused, retry(102)], Vec::new(), Vec::new()),
    );
    assert!(later.passed, "{later}");
}

#[test]
fn calling_the_control_api_is_a_finding() {
    let journal = vec![request(1, 0, "POST", "/__mock/reset", "", 200)];
    let verdict = limits_jobs::check(&world(), &evidence(journal, Vec::new(), Vec::new()));
    assert!(verdict.findings[0].contains("control API"), "{verdict}");
}

#[test]
fn the_name_counts_as_residue_on_the_subjects_record_but_not_on_a_namesakes() {
    let hit = |id: i64| Hit {
        needle: "Jane Roe".to_owned(),
        kind: "user".to_owned(),
        id: id.to_string(),
        field: "name".to_owned(),
    };
    let namesake = residue::check(
        &world(),
        &evidence(Vec::new(), Vec::new(), vec![hit(NAMESAKE)]),
        ErasePolicy::Permanent,
    );
    assert!(namesake.passed, "{namesake}");
    let subject = residue::check(
        &world(),
        &evidence(Vec::new(), Vec::new(), vec![hit(SUBJECT)]),
        ErasePolicy::Permanent,
    );
    assert!(!subject.passed, "{subject}");
    let soft = residue::check(
        &world(),
        &evidence(Vec::new(), Vec::new(), vec![hit(SUBJECT)]),
        ErasePolicy::Soft,
    );
    assert!(
        soft.passed,
        "a soft delete leaves the record to its purge: {soft}"
    );
}
