//! Export (access and portability): the JSON the tool wrote to `EXPORT_PATH`, compared with
//! the ground truth. Any shape will do — the check reads its strings and numbers.
//!
//! - Recall: every identifier of the subject; every public comment of their live tickets and
//!   every live comment holding their data (by its marker, `ref Q…`); their held emails.
//! - Nobody else's data: no marker of a comment in someone else's ticket that holds none of
//!   the subject's data, none of someone else's held emails, and no other end user's email,
//!   phone or address — unless it sits inside a text the subject is entitled to (another
//!   requester's signature in the very comment that mentions the subject).

use super::evidence::Evidence;
use super::text::contains;
use super::{Property, Verdict};
use crate::world::{Comment, Party, Role, World};
use serde_json::Value;

fn strings(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Number(n) => {
            out.push_str(&n.to_string());
            out.push('\n');
        }
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        Value::Bool(_) | Value::Null => {}
    }
}

/// The marker's code (`QABC` of `ref QABC`).
fn code(marker: &str) -> &str {
    marker.trim_start_matches("ref ")
}

fn text(comment: &Comment) -> &str {
    comment
        .body
        .as_deref()
        .or(comment.html.as_deref())
        .unwrap_or("")
}

/// The export verdict.
pub fn check(world: &World, evidence: &Evidence) -> Verdict {
    let exported = match &evidence.export {
        None => {
            return Verdict::from_findings(Property::Export, vec!["no export was read".to_owned()]);
        }
        Some(Err(why)) => return Verdict::from_findings(Property::Export, vec![why.clone()]),
        Some(Ok(value)) => value,
    };
    let mut all = String::new();
    strings(exported, &mut all);
    let mut findings = Vec::new();
    for needle in world.subject.needles() {
        if !contains(&all, &needle) {
            findings.push(format!("missing the subject's \"{needle}\""));
        }
    }
    // Texts the subject is entitled to, and markers that must (or must not) be there.
    let mut entitled = String::new();
    let mut forbidden: Vec<(String, String)> = Vec::new();
    for (t, ticket) in world.tickets.iter().enumerate() {
        let theirs = ticket.requester == Party::Subject;
        for (c, comment) in ticket.comments.iter().enumerate() {
            let what = format!("comment-{c} of ticket-{t}");
            let required =
                !ticket.deleted && ((theirs && comment.public) || world.comment_holds(t, c));
            if required {
                entitled.push_str(text(comment));
                if !all.contains(code(&comment.marker)) {
                    findings.push(format!("missing {what} ({})", comment.marker));
                }
            } else if !theirs && !world.comment_holds(t, c) {
                forbidden.push((code(&comment.marker).to_owned(), what));
            }
        }
    }
    for (i, held) in world.suspended.iter().enumerate() {
        let marker = &held.marker;
        if held.from == Party::Subject {
            entitled.push_str(&held.body);
            if !all.contains(code(marker)) {
                findings.push(format!(
                    "missing the subject's held email suspended-{i} ({marker})"
                ));
            }
        } else {
            forbidden.push((
                code(marker).to_owned(),
                format!("suspended-{i} from {}", held.email),
            ));
        }
    }
    for (marker, what) in forbidden {
        if all.contains(&marker) {
            findings.push(format!("holds someone else's data: {what} (ref {marker})"));
        }
    }
    for person in world.people.iter().filter(|p| p.role != Role::Agent) {
        for id in person.identifiers() {
            if contains(&all, &id) && !contains(&entitled, &id) {
                findings.push(format!(
                    "holds {}'s \"{id}\" ({})",
                    person.reference, person.name
                ));
            }
        }
    }
    Verdict::from_findings(Property::Export, findings)
}
