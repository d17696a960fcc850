//! Does a record satisfy a clause? Shared by the index and the brute-force scan (which asks
//! every record). The scan brings its own way of finding a run of words in a field's text; the
//! index answers text clauses from its positional postings instead, and asks this module only
//! about the other clauses — so the two are independent where it matters.

use super::document::{Attrs, Doc, DocKey, Field};
use super::query::{Clause, DateField, Kind, Party, Pred, Query, Text, UserValue};
use crate::store::Id;

/// Finds `words` consecutively in a normalized field text, the last one possibly a prefix.
pub type RunMatcher = fn(text: &str, words: &[String], last_is_prefix: bool) -> bool;

/// The users a `requester:`-style value stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Nobody,
    /// Ascending, without repeats (a binary search beats hashing for the one or few users a
    /// value usually names, checked against every ticket).
    Users(Vec<Id>),
}

/// A query ready to run: each party clause's value resolved to users, and each clause's
/// alternative group numbered.
#[derive(Debug, Clone)]
pub struct Plan<'q> {
    pub query: &'q Query,
    who: Vec<Option<Who>>,
    /// Each clause's alternative group (see [`Plan::matches`]), as a bit number.
    groups: Vec<Option<u32>>,
    /// The bits of every group the query has.
    all_groups: u32,
}

impl<'q> Plan<'q> {
    /// Resolves the query's user values against `users` (the user records as search sees
    /// them) for a caller with id `me`.
    pub fn new<'d>(
        query: &'q Query,
        me: Id,
        users: impl Fn() -> Box<dyn Iterator<Item = &'d Doc> + 'd>,
        matcher: RunMatcher,
    ) -> Self {
        let who = query
            .clauses
            .iter()
            .map(|clause| match &clause.pred {
                Pred::Party(_, value) => Some(resolve(value, me, users(), matcher)),
                _ => None,
            })
            .collect();
        let mut names: Vec<&'static str> = Vec::new();
        let groups = query
            .clauses
            .iter()
            .map(|clause| {
                let name = alternative_group(clause)?;
                let at = names.iter().position(|n| *n == name).unwrap_or_else(|| {
                    names.push(name);
                    names.len() - 1
                });
                Some(at as u32)
            })
            .collect();
        // `alternative_group` knows fewer than 32 keywords.
        let all_groups = (1u32 << names.len()) - 1;
        Self {
            query,
            who,
            groups,
            all_groups,
        }
    }

    /// Does `doc` satisfy the query? Every clause must hold, except that positive `keyword:value`
    /// clauses naming the same keyword are alternatives: `status:open status:pending` finds
    /// either (INFERRED; zenpy builds such queries for a list of values, calling it "or").
    pub fn matches(&self, doc: &Doc, matcher: RunMatcher) -> bool {
        self.check(|clause, who| clause_holds(doc, clause, who, matcher))
    }

    /// Does `doc` satisfy every clause but the text ones? For the index, which answers text
    /// clauses from its postings (text clauses are never alternatives, so they simply join the
    /// conjunction).
    pub fn matches_besides_text(&self, doc: &Doc) -> bool {
        self.check(|clause, who| {
            matches!(clause.pred, Pred::Text(_))
                || clause_holds(doc, clause, who, super::analyze::holds_run)
        })
    }

    /// Does the query have clauses besides text ones (which [`Plan::matches_besides_text`]
    /// would have to check)?
    pub fn has_other_than_text(&self) -> bool {
        self.query
            .clauses
            .iter()
            .any(|c| !matches!(c.pred, Pred::Text(_)))
    }

    fn check(&self, holds: impl Fn(&Clause, Option<&Who>) -> bool) -> bool {
        let mut satisfied = 0u32;
        let clauses = self.query.clauses.iter().zip(&self.who).zip(&self.groups);
        for ((clause, who), group) in clauses {
            match *group {
                // An alternative already satisfied needs no more checking.
                Some(bit) if satisfied & (1 << bit) != 0 => {}
                Some(bit) if holds(clause, who.as_ref()) => satisfied |= 1 << bit,
                Some(_) => {}
                None if !holds(clause, who.as_ref()) => return false,
                None => {}
            }
        }
        satisfied == self.all_groups
    }
}

fn resolve<'d>(
    value: &UserValue,
    me: Id,
    users: impl Iterator<Item = &'d Doc>,
    matcher: RunMatcher,
) -> Who {
    let pick = |keep: &dyn Fn(&Doc) -> bool| -> Who {
        let mut ids: Vec<Id> = users
            .filter(|d| keep(d))
            .filter_map(|d| match d.key {
                DocKey::User(id) => Some(id),
                DocKey::Ticket(_) => None,
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Who::Users(ids)
    };
    match value {
        UserValue::Me => Who::Users(vec![me]),
        UserValue::None => Who::Nobody,
        UserValue::Id(id) => Who::Users(vec![*id]),
        UserValue::Email { value, prefix } => pick(&|d| match &d.attrs {
            Attrs::User { emails, .. } => emails.iter().any(|e| same(e, value, *prefix)),
            Attrs::Ticket { .. } => false,
        }),
        UserValue::Name(words) => pick(&|d| {
            d.field(Field::Name)
                .is_some_and(|name| matcher(name, words, true))
        }),
    }
}

fn same(have: &str, wanted: &str, prefix: bool) -> bool {
    if prefix {
        have.starts_with(wanted)
    } else {
        have == wanted
    }
}

/// The fields a bare term searches, per kind of record.
pub fn bare_fields(key: DocKey) -> &'static [Field] {
    match key {
        DocKey::Ticket(_) => &[
            Field::Subject,
            Field::Description,
            Field::Comment,
            Field::Tags,
        ],
        DocKey::User(_) => &[
            Field::Name,
            Field::Identity,
            Field::Phone,
            Field::Notes,
            Field::Details,
            Field::ExternalId,
            Field::Tags,
        ],
    }
}

/// Does `doc` satisfy the text clause `text`?
pub fn text_holds(doc: &Doc, text: &Text, matcher: RunMatcher) -> bool {
    let fields: &[Field] = match &text.field {
        Some(field) => std::slice::from_ref(field),
        None => bare_fields(doc.key),
    };
    let in_fields = fields.iter().any(|&field| {
        doc.field(field)
            .is_some_and(|t| matcher(t, &text.words, text.prefix))
    });
    let by_digits = matches!(text.field, None | Some(Field::Phone))
        && text.digits.as_ref().is_some_and(|digits| {
            doc.field(Field::Phone)
                .is_some_and(|t| matcher(t, std::slice::from_ref(digits), false))
        });
    let by_id = text
        .ticket_id
        .is_some_and(|id| doc.key == DocKey::Ticket(id));
    in_fields || by_digits || by_id
}

/// The keyword a positive equality clause is an alternative within, if any.
fn alternative_group(clause: &Clause) -> Option<&'static str> {
    use super::query::Cmp::Eq;
    if clause.negated {
        return None;
    }
    Some(match &clause.pred {
        Pred::Type(_) => "type",
        Pred::Status(Eq, _) => "status",
        Pred::Priority(Eq, _) => "priority",
        Pred::TicketType(_) => "ticket_type",
        Pred::Party(Party::Requester, _) => "requester",
        Pred::Party(Party::Assignee, _) => "assignee",
        Pred::Party(Party::Submitter, _) => "submitter",
        Pred::Tag { .. } => "tags",
        Pred::Via(_) => "via",
        Pred::Organization(_) => "organization",
        Pred::Role(_) => "role",
        Pred::Email { .. } => "email",
        Pred::Phone(_) => "phone",
        Pred::ExternalId { .. } => "external_id",
        _ => return None,
    })
}

fn clause_holds(doc: &Doc, clause: &Clause, who: Option<&Who>, matcher: RunMatcher) -> bool {
    clause.negated != pred_holds(doc, &clause.pred, who, matcher)
}

fn pred_holds(doc: &Doc, pred: &Pred, who: Option<&Who>, matcher: RunMatcher) -> bool {
    match (pred, &doc.attrs) {
        (Pred::Type(kind), _) => matches!(
            (kind, doc.key),
            (Kind::Ticket, DocKey::Ticket(_)) | (Kind::User, DocKey::User(_))
        ),
        (Pred::Text(text), _) => text_holds(doc, text, matcher),
        (Pred::Status(op, wanted), Attrs::Ticket { status, .. }) => op.holds(*status, *wanted),
        (Pred::Priority(op, wanted), Attrs::Ticket { priority, .. }) => match (wanted, priority) {
            (None, have) => *op == super::query::Cmp::Eq && have.is_none(),
            (Some(wanted), Some(have)) => op.holds(*have, *wanted),
            (Some(_), None) => false,
        },
        (Pred::TicketType(wanted), Attrs::Ticket { ticket_type, .. }) => {
            ticket_type.as_deref() == wanted.as_deref()
        }
        (
            Pred::Party(party, _),
            Attrs::Ticket {
                requester_id,
                submitter_id,
                assignee_id,
                ..
            },
        ) => {
            let have = match party {
                Party::Requester => Some(*requester_id),
                Party::Submitter => Some(*submitter_id),
                Party::Assignee => *assignee_id,
            };
            match who {
                Some(Who::Nobody) => have.is_none(),
                Some(Who::Users(ids)) => have.is_some_and(|id| ids.binary_search(&id).is_ok()),
                None => false,
            }
        }
        (Pred::Tag { value, prefix }, Attrs::Ticket { tags, .. } | Attrs::User { tags, .. }) => {
            tags.iter().any(|t| same(t, value, *prefix))
        }
        (Pred::Date(field, op, span), attrs) => {
            let at = match (field, attrs) {
                (DateField::Created, _) => Some(doc.created_at),
                (DateField::Updated, _) => Some(doc.updated_at),
                (DateField::Solved, Attrs::Ticket { solved_at, .. }) => *solved_at,
                (DateField::Solved, Attrs::User { .. }) => None,
            };
            at.is_some_and(|at| span.holds(*op, at))
        }
        (Pred::Via(wanted), Attrs::Ticket { channel, .. }) => channel == wanted.as_str(),
        (
            Pred::Organization(wanted),
            Attrs::Ticket {
                organization_id, ..
            }
            | Attrs::User {
                organization_id, ..
            },
        ) => organization_id == wanted,
        (Pred::Role(wanted), Attrs::User { role, .. }) => role == wanted,
        (Pred::Email { value, prefix }, Attrs::User { emails, .. }) => {
            emails.iter().any(|e| same(e, value, *prefix))
        }
        (Pred::Phone(digits), Attrs::User { phones, .. }) => phones.iter().any(|p| **p == **digits),
        (Pred::ExternalId { value, prefix }, Attrs::User { external_id, .. }) => external_id
            .as_deref()
            .is_some_and(|e| same(e, value, *prefix)),
        // A keyword about the other kind of record (`status:` on a user).
        _ => false,
    }
}
