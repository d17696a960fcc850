//! Residue: every place a piece of personal data still appears in an account, including places
//! the public API cannot reach — soft-deleted tickets awaiting their scrub, audit history,
//! attachment bytes, the suspended-tickets queue, unclaimed uploads, jobs not yet run. This is
//! what lets a test *prove* an erasure left nothing behind (`POST /__mock/residue`).
//!
//! Matching is case-insensitive; a needle that looks like a phone number also matches the same
//! digits written another way (`+1 202 555 0100` ~ `+12025550100`).
//!
//! The search index counts too: with a search lag, a redacted or deleted value stays findable
//! for a while, and each record the index still finds by a needle that the record itself no
//! longer holds is a `search_index` hit (field `ticket.comment`, `user.name`, …).

use super::account::AccountData;
use super::comments::{AuditEvent, Change};
use serde::Serialize;
use serde_json::Value;

/// One place a needle was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub needle: String,
    /// `user`, `identity`, `ticket`, `comment`, `audit`, `attachment`, `suspended_ticket`,
    /// `upload`, `job`, `search_index`.
    pub kind: &'static str,
    pub id: String,
    pub field: String,
}

struct Needle {
    text: String,
    lower: String,
    digits: Option<String>,
}

impl Needle {
    fn new(text: &str) -> Self {
        let phone_like = text
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        Self {
            text: text.to_owned(),
            lower: text.to_lowercase(),
            digits: (phone_like && digits.len() >= 7).then_some(digits),
        }
    }

    fn found_in(&self, haystack: &str) -> bool {
        if haystack.to_lowercase().contains(&self.lower) {
            return true;
        }
        self.digits
            .as_ref()
            .is_some_and(|d| phone_spans(haystack).any(|digits| digits.contains(d.as_str())))
    }
}

/// The digits of each run of a text written like a phone number — digits and phone
/// punctuation (`+ - ( ) .` and spaces) — so that numbers in different places of a field
/// ("room 1202, ext 5550142") are never joined into one.
fn phone_spans(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_ascii_digit() || " +-().".contains(c)))
        .map(|span| {
            span.chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
        })
        .filter(|digits| !digits.is_empty())
}

/// Collects hits while walking the store.
struct Scan<'a> {
    needles: &'a [Needle],
    hits: Vec<Hit>,
}

impl Scan<'_> {
    fn text(&mut self, kind: &'static str, id: impl ToString, field: &str, value: Option<&str>) {
        let Some(value) = value else { return };
        let id = id.to_string();
        for needle in self.needles.iter().filter(|n| n.found_in(value)) {
            self.hits.push(Hit {
                needle: needle.text.clone(),
                kind,
                id: id.clone(),
                field: field.to_owned(),
            });
        }
    }

    fn json(&mut self, kind: &'static str, id: impl ToString, field: &str, value: &Value) {
        if !value.is_null() {
            self.text(kind, id, field, Some(&value.to_string()));
        }
    }
}

impl AccountData {
    /// Every place any needle still appears. Takes `&mut self` to bring the search index up to
    /// the account's clock first.
    pub fn residue(&mut self, needles: &[String]) -> Vec<Hit> {
        let needles: Vec<Needle> = needles
            .iter()
            .filter(|n| !n.trim().is_empty())
            .map(|n| Needle::new(n.trim()))
            .collect();
        let mut scan = Scan {
            needles: &needles,
            hits: Vec::new(),
        };
        for user in self.users.values() {
            let id = user.id;
            scan.text("user", id, "name", Some(&user.name));
            for (field, value) in [
                ("external_id", &user.external_id),
                ("alias", &user.alias),
                ("details", &user.details),
                ("notes", &user.notes),
                ("signature", &user.signature),
                ("phone", &user.phone),
            ] {
                scan.text("user", id, field, value.as_deref());
            }
            scan.text("user", id, "tags", Some(&user.tags.join(" ")));
            scan.json(
                "user",
                id,
                "user_fields",
                &Value::Object(user.user_fields.clone()),
            );
        }
        for identity in self.identities.values() {
            scan.text("identity", identity.id, "value", Some(&identity.value));
        }
        self.scan_tickets(&mut scan);
        for held in self.suspended_tickets.values() {
            for (field, value) in [
                ("author.name", Some(&held.author_name)),
                ("author.email", Some(&held.author_email)),
                ("subject", held.subject.as_ref()),
                ("content", Some(&held.content)),
            ] {
                scan.text(
                    "suspended_ticket",
                    held.id,
                    field,
                    value.map(String::as_str),
                );
            }
        }
        for job in self.jobs.values() {
            scan.text("job", &job.id, "work", job.pending_work_text().as_deref());
        }
        let mut hits = scan.hits;
        hits.extend(self.stale_search_hits(&needles));
        hits
    }

    /// Records the search index still finds by a needle they no longer hold (index lag).
    fn stale_search_hits(&mut self, needles: &[Needle]) -> Vec<Hit> {
        use super::search::analyze::{holds_run, words};
        use super::search::document::{DocKey, Field};
        let runs: Vec<(&Needle, Vec<String>)> = needles
            .iter()
            .map(|n| {
                let mut run: Vec<String> = words(&n.text).collect();
                if run.is_empty() {
                    run.extend(n.digits.clone());
                }
                (n, run)
            })
            .filter(|(_, run)| !run.is_empty())
            .collect();
        let mut found = Vec::new();
        let index = self.search_index();
        for (needle, run) in &runs {
            let digits = needle.digits.iter().map(|d| vec![d.clone()]);
            for words in std::iter::once(run.clone()).chain(digits) {
                for field in Field::ALL {
                    for key in index.holding(&words, field) {
                        found.push((*needle, run, field, key));
                    }
                }
            }
        }
        let mut hits: Vec<Hit> = Vec::new();
        for (needle, run, field, key) in found {
            let now = self.search_doc(key);
            let current = now.as_ref().and_then(|d| d.field(field)).unwrap_or("");
            let digits = needle.digits.as_ref().map(|d| vec![d.clone()]);
            let still = holds_run(current, run, false)
                || digits.is_some_and(|d| holds_run(current, &d, false));
            if still {
                continue;
            }
            let (kind, id) = match key {
                DocKey::Ticket(id) => ("ticket", id),
                DocKey::User(id) => ("user", id),
            };
            let hit = Hit {
                needle: needle.text.clone(),
                kind: "search_index",
                id: id.to_string(),
                field: format!("{kind}.{}", field.name()),
            };
            if !hits.contains(&hit) {
                hits.push(hit);
            }
        }
        hits
    }

    fn scan_tickets(&self, scan: &mut Scan<'_>) {
        for ticket in self.tickets.values() {
            scan.text("ticket", ticket.id, "subject", ticket.subject.as_deref());
            scan.text(
                "ticket",
                ticket.id,
                "external_id",
                ticket.external_id.as_deref(),
            );
            scan.text("ticket", ticket.id, "tags", Some(&ticket.tags.join(" ")));
            scan.json(
                "ticket",
                ticket.id,
                "custom_fields",
                &Value::Array(ticket.custom_fields.clone()),
            );
        }
        for comment in self.comments.values() {
            scan.text("comment", comment.id, "body", Some(&comment.body));
            scan.text("comment", comment.id, "html_body", Some(&comment.html_body));
            scan.text(
                "comment",
                comment.id,
                "plain_body",
                Some(&comment.plain_body()),
            );
        }
        for audit in self.audits.values() {
            for (event_id, event) in &audit.events {
                let id = format!("{}/{event_id}", audit.id);
                match event {
                    AuditEvent::Comment { .. } => {}
                    AuditEvent::Create { field, value } => scan.json("audit", &id, field, value),
                    AuditEvent::Change(change) => {
                        let Change {
                            field,
                            value,
                            previous_value,
                        } = &**change;
                        scan.json("audit", &id, field, value);
                        scan.json("audit", &id, &format!("{field} (previous)"), previous_value);
                    }
                }
            }
        }
        for attachment in self.attachments.values() {
            let kind = if attachment.comment_id.is_some() {
                "attachment"
            } else {
                "upload"
            };
            scan.text(
                kind,
                attachment.id,
                "file_name",
                Some(&attachment.file_name),
            );
            scan.text(
                kind,
                attachment.id,
                "content",
                Some(&String::from_utf8_lossy(&attachment.content)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Needle;

    #[test]
    fn a_phone_needle_matches_the_number_in_any_format_but_never_joins_separate_numbers() {
        let needle = Needle::new("+1 202 555 0142");
        assert!(needle.found_in("call +1 (202) 555-0142 today"));
        assert!(needle.found_in("tel:+12025550142"));
        assert!(!needle.found_in("room 1202, ext 5550142"));
        assert!(!needle.found_in("order 1202 / item 5550142"));
    }
}
