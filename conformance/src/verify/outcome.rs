//! Outcome of an erasure, from the final state: how things ended, not only that the needles
//! are gone.
//!
//! - The subject is permanently deleted ([`ErasePolicy::Permanent`]) or at least
//!   soft-deleted ([`ErasePolicy::Soft`]).
//! - A closed ticket holding the subject's data is permanently deleted: the guide says closed
//!   conversations cannot be redacted, only deleted ("If the ticket is closed, permanently
//!   delete the ticket").
//! - A ticket with the subject's data in an attachment is permanently deleted ("If the data is
//!   in an inline image or an attachment, permanently delete the ticket").
//! - The subject's soft-deleted tickets do not wait 30 days for their scrub: permanently
//!   deleted now.

use super::evidence::Evidence;
use super::{ErasePolicy, Property, Verdict};
use crate::world::{Party, Status, World};

/// How a ticket that had to be permanently deleted ended instead.
fn how_it_ended(evidence: &Evidence, t: usize) -> Option<String> {
    let id = evidence.ids.tickets[t];
    let after = evidence.after.tickets.get(&id)?;
    if after.soft_deleted() {
        return Some("is only soft-deleted".to_owned());
    }
    let redacted = evidence
        .events_of("CommentRedacted")
        .chain(evidence.events_of("AttachmentRedacted"))
        .filter(|e| e["ticket_id"].as_i64() == Some(id))
        .count();
    Some(if redacted > 0 {
        format!("was redacted ({redacted} redactions) and left in place")
    } else {
        format!("is still there ({})", after.status)
    })
}

/// The outcome verdict of an erasure.
pub fn check(world: &World, evidence: &Evidence, policy: ErasePolicy) -> Verdict {
    let mut findings = Vec::new();
    let subject = evidence.after.users.get(&evidence.ids.subject);
    let state = subject.map_or("gone", |u| u.lifecycle());
    let enough = match policy {
        ErasePolicy::Permanent => state == "permanently_deleted",
        ErasePolicy::Soft => matches!(state, "soft_deleted" | "permanently_deleted"),
    };
    if !enough {
        let wanted = match policy {
            ErasePolicy::Permanent => "permanently deleted",
            ErasePolicy::Soft => "deleted",
        };
        findings.push(format!(
            "the subject should be {wanted} but is {}",
            state.replace('_', "-")
        ));
    }
    for (t, ticket) in world.tickets.iter().enumerate() {
        if !world.ticket_holds(t) {
            continue;
        }
        let reason = if ticket.deleted && ticket.requester == Party::Subject {
            Some("the subject's soft-deleted ticket")
        } else if ticket.status == Status::Closed && !ticket.deleted {
            Some("a closed ticket holding the subject's data")
        } else if world.ticket_has_pii_attachment(t) {
            Some("its attachment holds the subject's data, so it")
        } else {
            None
        };
        if let (Some(reason), Some(ended)) = (reason, how_it_ended(evidence, t)) {
            findings.push(format!(
                "ticket-{t}: {reason} must be permanently deleted, but it {ended}"
            ));
        }
    }
    Verdict::from_findings(Property::Outcome, findings)
}
