//! Ordering, from the run's semantic events: the guide's erasure order. Ticket data first —
//! every redaction or deletion touching a ticket that holds the subject's data, and the
//! deletion of their held emails, comes before the subject is deleted (the user's data is what
//! finds those tickets) — then the user: soft delete before permanent delete.

use super::evidence::Evidence;
use super::{Property, Verdict};
use crate::world::{Party, World};
use serde_json::Value;

/// Events that erase ticket data.
const TICKET_ERASURES: [&str; 4] = [
    "CommentRedacted",
    "AttachmentRedacted",
    "TicketSoftDeleted",
    "TicketPermanentlyDeleted",
];

fn seq(event: &Value) -> u64 {
    event["seq"].as_u64().unwrap_or(0)
}

/// The `seq` of the subject's first event of a type in the run.
fn first(evidence: &Evidence, kind: &str) -> Option<u64> {
    evidence
        .events_of(kind)
        .find(|e| e["user_id"].as_i64() == Some(evidence.ids.subject))
        .map(seq)
}

/// The ordering verdict.
pub fn check(world: &World, evidence: &Evidence) -> Verdict {
    let mut findings = Vec::new();
    let soft = first(evidence, "UserSoftDeleted");
    let permanent = first(evidence, "UserPermanentlyDeleted");
    let soft_before_run = evidence
        .before
        .users
        .get(&evidence.ids.subject)
        .is_some_and(|u| u.lifecycle() == "soft_deleted");
    if let Some(permanent) = permanent
        && !soft_before_run
        && soft.is_none_or(|s| s > permanent)
    {
        findings.push(format!(
            "the subject was permanently deleted (event {permanent}) without being soft-deleted first"
        ));
    }
    let Some(deleted) = soft.or(permanent) else {
        return Verdict::from_findings(Property::Ordering, findings);
    };
    for (t, id) in evidence.ids.tickets.iter().enumerate() {
        if !world.ticket_holds(t) {
            continue;
        }
        let late = evidence.events.iter().find(|e| {
            e["ticket_id"].as_i64() == Some(*id)
                && TICKET_ERASURES.iter().any(|k| e["type"] == *k)
                && seq(e) > deleted
        });
        if let Some(late) = late {
            findings.push(format!(
                "ticket-{t} held the subject's data and was erased after the subject was deleted \
                 ({} at event {}, the user deleted at event {deleted})",
                late["type"].as_str().unwrap_or("?"),
                seq(late)
            ));
        }
    }
    for (i, id) in evidence.ids.suspended.iter().enumerate() {
        if world.suspended[i].from != Party::Subject {
            continue;
        }
        let late = evidence
            .events_of("SuspendedTicketDeleted")
            .find(|e| e["suspended_ticket_id"].as_i64() == Some(*id) && seq(e) > deleted);
        if let Some(late) = late {
            findings.push(format!(
                "suspended-{i} (the subject's) was deleted after the subject was (event {} after {deleted})",
                seq(late)
            ));
        }
    }
    Verdict::from_findings(Property::Ordering, findings)
}
