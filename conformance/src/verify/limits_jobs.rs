//! Limits and jobs, from the run's request journal (and its events):
//!
//! - a batch call names at most 100 ids (`ids=` / `external_ids=`, facts §3.3, §4.2);
//! - every job the tool started was seen completed by a poll (`GET /job_statuses/{id}` or
//!   `show_many`) — the journal's `events_seq` says the poll was answered after the job's
//!   `JobCompleted` event, so it read the finished job — and a job started before the subject
//!   was deleted was seen completed before that deletion was asked for (it relies on it);
//! - a request answered with `Retry-After` was not sent again before that many seconds passed;
//! - the tool used Zendesk's API only, never the mock's control API (`/__mock`).

use super::evidence::{Evidence, JournalEntry};
use super::{Property, Verdict};
use crate::world::World;

/// Zendesk's limit on ids per batch call.
pub const MAX_IDS: usize = 100;

fn ids_in(entry: &JournalEntry, key: &str) -> Vec<String> {
    entry
        .params()
        .into_iter()
        .filter(|(k, _)| k == key)
        .flat_map(|(_, v)| {
            v.split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn batches(evidence: &Evidence, findings: &mut Vec<String>) {
    for entry in &evidence.journal {
        for key in ["ids", "external_ids"] {
            let count = ids_in(entry, key).len();
            if count > MAX_IDS {
                findings.push(format!(
                    "{} {} named {count} {key}, more than {MAX_IDS} (request {})",
                    entry.method,
                    entry.route(),
                    entry.seq
                ));
            }
        }
    }
}

/// Whether `entry` polled job `id` and read it finished: answered after `completed`. (A job
/// finishing between the poll's read and its answer counts as seen: never a false failure,
/// and a tool that stops polling too early is still caught on the worlds without that race.)
fn saw_completed(entry: &JournalEntry, id: &str, completed: u64) -> bool {
    let polls = entry.method == "GET"
        && entry.status == 200
        && (entry.route().ends_with(&format!("/job_statuses/{id}"))
            || (entry.route().ends_with("/job_statuses/show_many")
                && ids_in(entry, "ids").iter().any(|i| i == id)));
    polls && entry.events_seq.is_some_and(|seen| seen >= completed)
}

/// The journal `seq` of the request that deleted the subject, if one did.
fn subject_deletion(evidence: &Evidence) -> Option<u64> {
    let subject = evidence.ids.subject.to_string();
    evidence
        .journal
        .iter()
        .find(|e| {
            e.method == "DELETE"
                && (200..300).contains(&e.status)
                && (e.route().ends_with(&format!("/users/{subject}"))
                    || (e.route().ends_with("/users/destroy_many")
                        && ids_in(e, "ids").contains(&subject)))
        })
        .map(|e| e.seq)
}

fn jobs(evidence: &Evidence, findings: &mut Vec<String>) {
    if !evidence.journal.is_empty() && evidence.journal.iter().all(|e| e.events_seq.is_none()) {
        findings.push(
            "the target's journal has no events_seq (a zendesk-mock too old to order polls \
             against jobs)"
                .to_owned(),
        );
        return;
    }
    let deletion = subject_deletion(evidence);
    let user_deleted_event = evidence
        .events_of("UserSoftDeleted")
        .find(|e| e["user_id"].as_i64() == Some(evidence.ids.subject))
        .and_then(|e| e["seq"].as_u64());
    for queued in evidence.events_of("JobQueued") {
        let id = queued["job_id"].as_str().unwrap_or_default();
        let kind = queued["job_type"].as_str().unwrap_or("job");
        let queued_at = queued["seq"].as_u64().unwrap_or(0);
        let Some(completed) = evidence
            .events_of("JobCompleted")
            .find(|e| e["job_id"] == id)
            .and_then(|e| e["seq"].as_u64())
        else {
            findings.push(format!("job {id} ({kind}) never completed during the run"));
            continue;
        };
        let seen = evidence
            .journal
            .iter()
            .find(|e| saw_completed(e, id, completed));
        let Some(seen) = seen else {
            findings.push(format!("job {id} ({kind}) was never polled to completion"));
            continue;
        };
        let relied_on = user_deleted_event.is_some_and(|user| queued_at < user);
        if let Some(deletion) = deletion.filter(|d| relied_on && seen.seq > *d) {
            findings.push(format!(
                "job {id} ({kind}) was first seen completed (request {}) after the subject's \
                 deletion was asked for (request {deletion}), which relied on it",
                seen.seq
            ));
        }
    }
}

fn retry_after(evidence: &Evidence, findings: &mut Vec<String>) {
    let journal = &evidence.journal;
    for (i, refused) in journal.iter().enumerate() {
        let Some(wait) = refused.retry_after else {
            continue;
        };
        let again = journal[i + 1..].iter().find(|e| {
            e.method == refused.method
                && e.route() == refused.route()
                && e.user_id == refused.user_id
        });
        if let Some(again) = again.filter(|e| e.at < refused.at + wait) {
            findings.push(format!(
                "{} came with Retry-After: {wait}, and the request was sent again {} s later \
                 (request {})",
                refused.describe(),
                again.at - refused.at,
                again.seq
            ));
        }
    }
}

/// The limits-and-jobs verdict.
pub fn check(_world: &World, evidence: &Evidence) -> Verdict {
    let mut findings = Vec::new();
    let control: Vec<String> = evidence
        .journal
        .iter()
        .filter(|e| e.path.starts_with("/__mock"))
        .map(JournalEntry::describe)
        .collect();
    if !control.is_empty() {
        findings.push(format!(
            "the tool called the mock's control API, which Zendesk does not have: {}",
            control.join("; ")
        ));
    }
    batches(evidence, &mut findings);
    jobs(evidence, &mut findings);
    retry_after(evidence, &mut findings);
    Verdict::from_findings(Property::LimitsJobs, findings)
}
