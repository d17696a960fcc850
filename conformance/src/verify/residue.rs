//! Residue: every place any of the subject's identifiers remains after an erasure — the
//! mock's store-wide scan, which sees what the API cannot (soft-deleted tickets awaiting their
//! scrub, audits, attachment bytes, suspended tickets, a lagging search index).
//!
//! An email, the phone or the address is the subject's wherever it is found. The name is
//! not: a namesake shares it. A hit on the name counts only where the ground truth puts the
//! subject — their user record, their tickets, a comment or attachment that holds their data,
//! their held emails — or somewhere the world did not have before the run (the tool wrote it).
//! With [`ErasePolicy::Soft`] the subject's own record (awaiting its 30-day purge) is exempt.

use super::evidence::{Evidence, Hit};
use super::{ErasePolicy, Property, Verdict};
use crate::world::{Party, Place, World};
use std::collections::BTreeMap;

/// Where a hit is, as the world knows it.
enum Site {
    /// The subject's user record or one of their identities.
    SubjectRecord,
    /// Another user's record.
    OtherUser(i64),
    Ticket(usize),
    Comment(usize, usize),
    Attachment(usize, usize, usize),
    Suspended(usize),
    /// Not in the world as seeded (made during the run), or a store-internal place.
    Elsewhere,
}

fn site(hit: &Hit, evidence: &Evidence) -> Site {
    let Ok(id) = hit.id.split('/').next().unwrap_or("").parse::<i64>() else {
        return Site::Elsewhere;
    };
    let after = &evidence.after;
    let ids = &evidence.ids;
    let user = |user_id: i64| {
        if user_id == ids.subject {
            Site::SubjectRecord
        } else {
            Site::OtherUser(user_id)
        }
    };
    let ticket = |ticket_id: Option<i64>| {
        ticket_id
            .and_then(|t| ids.ticket(t))
            .map_or(Site::Elsewhere, Site::Ticket)
    };
    match hit.kind.as_str() {
        "user" => user(id),
        "identity" => evidence
            .after
            .identities
            .get(&id)
            .or_else(|| evidence.before.identities.get(&id))
            .map_or(Site::Elsewhere, |i| user(i.user_id)),
        "ticket" => ticket(Some(id)),
        "comment" => ids
            .comment(id)
            .map_or(Site::Elsewhere, |(t, c)| Site::Comment(t, c)),
        "attachment" => ids
            .attachment(id)
            .map_or(Site::Elsewhere, |(t, c, a)| Site::Attachment(t, c, a)),
        "audit" => ticket(after.audits.get(&id).map(|a| a.ticket_id)),
        "suspended_ticket" => ids.suspended(id).map_or(Site::Elsewhere, Site::Suspended),
        "search_index" if hit.field.starts_with("user.") => user(id),
        "search_index" => ticket(Some(id)),
        _ => Site::Elsewhere,
    }
}

/// Whether a hit of the name at `site` is the subject's data.
fn name_is_theirs(world: &World, site: &Site) -> bool {
    let theirs = |t: usize| world.tickets[t].requester == Party::Subject;
    match *site {
        Site::SubjectRecord | Site::Elsewhere => true,
        Site::OtherUser(_) => false,
        Site::Ticket(t) => world.ticket_holds(t),
        Site::Comment(t, c) => theirs(t) || world.comment_holds(t, c),
        Site::Attachment(t, c, a) => {
            theirs(t)
                || world.holds(Place::Attachment {
                    ticket: t,
                    comment: c,
                    attachment: a,
                })
        }
        Site::Suspended(index) => world.suspended[index].from == Party::Subject,
    }
}

fn describe(site: &Site, hit: &Hit, evidence: &Evidence) -> String {
    let soft = |t: usize| {
        evidence
            .after
            .tickets
            .get(&evidence.ids.tickets[t])
            .is_some_and(|s| s.soft_deleted())
    };
    let ticket = |t: usize| {
        if soft(t) {
            format!("soft-deleted ticket-{t}")
        } else {
            format!("ticket-{t}")
        }
    };
    match *site {
        Site::SubjectRecord => format!("the subject's {} ({} {})", hit.kind, hit.kind, hit.id),
        Site::OtherUser(id) => format!("user {id}"),
        Site::Ticket(t) => format!("{} ({} {})", ticket(t), hit.kind, hit.id),
        Site::Comment(t, c) => format!("comment-{c} of {} (comment {})", ticket(t), hit.id),
        Site::Attachment(t, c, _) => {
            format!(
                "an attachment of comment-{c} of {} (attachment {})",
                ticket(t),
                hit.id
            )
        }
        Site::Suspended(i) => format!("suspended-{i} (suspended ticket {})", hit.id),
        Site::Elsewhere => format!("{} {}", hit.kind, hit.id),
    }
}

/// The residue verdict.
pub fn check(world: &World, evidence: &Evidence, policy: ErasePolicy) -> Verdict {
    let unique = world.subject.unique_needles();
    // (needle, place) → fields, so body/html_body/plain_body of one comment make one finding.
    let mut found: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for hit in &evidence.residue {
        let site = site(hit, evidence);
        if policy == ErasePolicy::Soft && matches!(site, Site::SubjectRecord) {
            continue;
        }
        let counts = unique.iter().any(|u| u.eq_ignore_ascii_case(&hit.needle))
            || name_is_theirs(world, &site);
        if counts {
            let field = if hit.kind == "search_index" {
                format!("search index: {}", hit.field)
            } else {
                hit.field.clone()
            };
            found
                .entry((hit.needle.clone(), describe(&site, hit, evidence)))
                .or_default()
                .push(field);
        }
    }
    let findings = found
        .into_iter()
        .map(|((needle, place), fields)| {
            format!("\"{needle}\" remains in {place}: {}", fields.join(", "))
        })
        .collect();
    Verdict::from_findings(Property::Residue, findings)
}
