//! Precision: nobody else's data was deleted, redacted or changed. The ground truth says
//! which tickets, comments, attachments and held emails hold the subject's data; everything
//! else must end as it started. Where a comment does hold the subject's data, only their
//! identifiers (name included) may have become ▇ — redacting the words around them is a
//! finding too.
//!
//! | entity | a finding when |
//! | --- | --- |
//! | any user but the subject | deleted, suspended, renamed, or its phone, details or identities changed |
//! | a ticket holding none of the subject's data | soft- or permanently deleted, restored, or its status changed |
//! | a comment holding none of the subject's data | its text changed |
//! | a comment holding some | a character other than the subject's identifiers was redacted |
//! | an attachment holding none | blanked (redacted) |
//! | a held email from someone else | deleted or recovered |

use super::evidence::Evidence;
use super::state::{AccountState, UserState};
use super::text::{clip, covered, visible};
use super::{Property, Verdict};
use crate::world::{Party, Place, World};

const BLOCK: char = '\u{2587}';

fn user_changes(
    before: &UserState,
    after: Option<&UserState>,
    b: &AccountState,
    a: &AccountState,
) -> Vec<String> {
    let Some(after) = after else {
        return vec!["was removed".to_owned()];
    };
    let mut changes = Vec::new();
    if before.lifecycle() != after.lifecycle() {
        changes.push(format!(
            "went from {} to {}",
            before.lifecycle(),
            after.lifecycle()
        ));
    }
    if before.suspended != after.suspended {
        changes.push(format!(
            "suspended: {} → {}",
            before.suspended, after.suspended
        ));
    }
    for (field, was, is) in [
        ("name", Some(&before.name), Some(&after.name)),
        ("phone", before.phone.as_ref(), after.phone.as_ref()),
        ("details", before.details.as_ref(), after.details.as_ref()),
    ] {
        if was != is {
            changes.push(format!("{field} changed"));
        }
    }
    if b.identity_values(before.id) != a.identity_values(before.id) {
        changes.push("identities changed".to_owned());
    }
    changes
}

fn users(world: &World, evidence: &Evidence, findings: &mut Vec<String>) {
    let (b, a) = (&evidence.before, &evidence.after);
    for (id, before) in &b.users {
        if *id == evidence.ids.subject {
            continue;
        }
        let changes = user_changes(before, a.users.get(id), b, a);
        if changes.is_empty() {
            continue;
        }
        let who = match evidence.ids.person(*id) {
            Some(i) => format!("{} ({}, user {id})", world.people[i].reference, before.name),
            None => format!("user {id} ({}, the account owner)", before.name),
        };
        findings.push(format!(
            "{who} {}, although they are not the subject",
            changes.join(", ")
        ));
    }
}

/// The ▇s a redaction put outside the subject's identifiers, as the original text there.
fn overreach(before: &[char], after: &[char], needles: &[String]) -> Option<String> {
    if before.len() != after.len() {
        return Some(format!(
            "text changed length: «{}»",
            clip(&after.iter().collect::<String>(), 80)
        ));
    }
    let allowed = covered(before, needles);
    let mut runs: Vec<String> = Vec::new();
    let mut run = String::new();
    for (i, (&was, &is)) in before.iter().zip(after).enumerate() {
        if was != is && !(is == BLOCK && allowed[i]) {
            run.push(was);
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    (!runs.is_empty()).then(|| format!("«{}»", runs.join("», «")))
}

fn ticket_label(world: &World, t: usize) -> String {
    let who = match world.tickets[t].requester {
        Party::Subject => "the subject".to_owned(),
        Party::Person(i) => world.people[i].reference.clone(),
    };
    format!("ticket-{t} (requested by {who})")
}

fn comments(world: &World, evidence: &Evidence, t: usize, findings: &mut Vec<String>) {
    let needles = world.subject.needles();
    let (b, a) = (&evidence.before, &evidence.after);
    let label = ticket_label(world, t);
    for (c, id) in evidence.ids.comments[t].iter().enumerate() {
        let (Some(before), Some(after)) = (b.comments.get(id), a.comments.get(id)) else {
            findings.push(format!(
                "comment-{c} of {label} is gone while its ticket stayed"
            ));
            continue;
        };
        let changed = before.html_body != after.html_body || before.body != after.body;
        if !world.comment_holds(t, c) {
            if changed {
                findings.push(format!(
                    "comment-{c} of {label} was redacted although it held none of the subject's data: «{}»",
                    clip(&after.body, 100)
                ));
            }
        } else if let Some(extra) = overreach(
            &visible(&before.html_body),
            &visible(&after.html_body),
            &needles,
        ) {
            findings.push(format!(
                "comment-{c} of {label}: more than the subject's data was redacted: {extra}"
            ));
        }
        for (n, attachment) in evidence.ids.attachments[t][c].iter().enumerate() {
            let place = Place::Attachment {
                ticket: t,
                comment: c,
                attachment: n,
            };
            let blanked = b.attachments.get(attachment) != a.attachments.get(attachment);
            if blanked && !world.holds(place) {
                findings.push(format!(
                    "attachment {n} of comment-{c} of {label} was redacted although it held none of the subject's data"
                ));
            }
        }
    }
}

fn tickets(world: &World, evidence: &Evidence, findings: &mut Vec<String>) {
    let (b, a) = (&evidence.before, &evidence.after);
    for (t, id) in evidence.ids.tickets.iter().enumerate() {
        let label = ticket_label(world, t);
        let Some(before) = b.tickets.get(id) else {
            continue;
        };
        let after = a.tickets.get(id);
        if !world.ticket_holds(t) {
            let change = match after {
                None => Some("was permanently deleted".to_owned()),
                Some(after) if before.soft_deleted() != after.soft_deleted() => {
                    Some(if after.soft_deleted() {
                        "was deleted".to_owned()
                    } else {
                        "was restored from the deleted tickets".to_owned()
                    })
                }
                Some(after) if before.status != after.status => {
                    Some(format!("went from {} to {}", before.status, after.status))
                }
                Some(_) => None,
            };
            if let Some(change) = change {
                findings.push(format!(
                    "{label} {change}, although it held none of the subject's data"
                ));
            }
        }
        if after.is_some() {
            comments(world, evidence, t, findings);
        }
    }
}

fn suspended(world: &World, evidence: &Evidence, findings: &mut Vec<String>) {
    for (i, id) in evidence.ids.suspended.iter().enumerate() {
        let held = &world.suspended[i];
        if held.from != Party::Subject && !evidence.after.suspended.contains_key(id) {
            findings.push(format!(
                "suspended-{i} (from {}) was deleted or recovered, although it held none of the subject's data",
                held.email
            ));
        }
    }
}

/// The precision verdict (the same for every task: none of them may touch others' data).
pub fn check(world: &World, evidence: &Evidence) -> Verdict {
    let mut findings = Vec::new();
    users(world, evidence, &mut findings);
    tickets(world, evidence, &mut findings);
    suspended(world, evidence, &mut findings);
    Verdict::from_findings(Property::Precision, findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn redacting_only_the_subjects_identifiers_is_precise() {
        let needles = ["jane@x.org".to_owned(), "Jane Roe".to_owned()];
        let before = chars("Mail JANE@X.ORG or ask Jane Roe.");
        let after = chars("Mail ▇▇▇▇▇▇▇▇▇▇ or ask ▇▇▇▇▇▇▇▇.");
        assert_eq!(overreach(&before, &after, &needles), None);
    }

    #[test]
    fn redacting_the_words_around_them_is_not() {
        let needles = ["jane@x.org".to_owned()];
        let before = chars("Mail jane@x.org today.");
        let after = chars("▇▇▇▇ ▇▇▇▇▇▇▇▇▇▇ today.");
        assert_eq!(
            overreach(&before, &after, &needles).as_deref(),
            Some("«Mail»")
        );
        let shorter = chars("Mail ▇ today.");
        assert!(overreach(&before, &shorter, &needles).is_some_and(|f| f.contains("length")));
    }
}
