//! The query language: Zendesk's documented subset (facts §7, HC "Zendesk Support search
//! reference"). A query is a list of clauses, all of which must hold:
//!
//! - bare terms (`greenbriar`, a word prefix), `"quoted phrases"` (whole words, in order),
//!   `*` at the end of a term (a prefix, as bare terms already are);
//! - `keyword:value`, and `keyword<value`, `>`, `<=`, `>=` (also written `keyword:<value`) on
//!   ordered keywords — status, priority and the dates;
//! - a leading `-` negates a clause;
//! - `type:`, and `order_by:` / `sort:` which choose the order instead of filtering.
//!
//! A keyword this module does not know is searched as text (INFERRED: Zendesk's search box does
//! the same with words that happen to contain a colon).

use super::analyze::{phone_digits, words};
use super::document::{Field, PRIORITIES};
use crate::error::{ApiError, ApiResult};
use crate::store::Id;
use crate::store::clock::{Timestamp, parse_rfc3339};
use crate::store::tickets::Status;
use crate::store::users::Role;
use time::{Date, format_description::well_known::Iso8601};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    /// Does a value at `rank` satisfy `op wanted`?
    pub fn holds<T: Ord>(self, have: T, wanted: T) -> bool {
        match self {
            Cmp::Eq => have == wanted,
            Cmp::Lt => have < wanted,
            Cmp::Le => have <= wanted,
            Cmp::Gt => have > wanted,
            Cmp::Ge => have >= wanted,
        }
    }
}

/// Who a `requester:` / `assignee:` / `submitter:` value names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserValue {
    Me,
    None,
    Id(Id),
    Email { value: String, prefix: bool },
    Name(Vec<String>),
}

/// Which ticket role a user keyword is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Requester,
    Assignee,
    Submitter,
}

/// The record kinds of `type:`. Organizations and groups are never stored, so they match nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ticket,
    User,
    Organization,
    Group,
}

impl Kind {
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_lowercase().as_str() {
            "ticket" => Some(Self::Ticket),
            "user" => Some(Self::User),
            "organization" => Some(Self::Organization),
            "group" => Some(Self::Group),
            _ => None,
        }
    }
}

/// A date keyword's field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateField {
    Created,
    Updated,
    Solved,
}

/// A span of time a date value stands for: a day is `[midnight, next midnight)`, an instant is
/// one second. `created>2012-07-17` means after that day, `created<2012-07-17` before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Span {
    pub fn holds(self, op: Cmp, at: Timestamp) -> bool {
        match op {
            Cmp::Eq => self.start <= at && at < self.end,
            Cmp::Lt => at < self.start,
            Cmp::Le => at < self.end,
            Cmp::Gt => at >= self.end,
            Cmp::Ge => at >= self.start,
        }
    }
}

/// Text to find: the words of a term or phrase, optionally in one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// `None`: any of the record's text fields.
    pub field: Option<Field>,
    pub words: Vec<String>,
    /// Bare terms match a run of whole words ending in a word prefix; phrases whole words only.
    pub prefix: bool,
    /// Written like a phone number: also matches a phone with these digits.
    pub digits: Option<String>,
    /// A bare number also finds the ticket with that id (facts §7).
    pub ticket_id: Option<Id>,
}

/// One condition on a record.
#[derive(Debug, Clone, PartialEq)]
pub enum Pred {
    Type(Kind),
    Text(Text),
    Status(Cmp, Status),
    /// `None`: `priority:none`.
    Priority(Cmp, Option<u8>),
    TicketType(Option<String>),
    Party(Party, UserValue),
    Tag {
        value: String,
        prefix: bool,
    },
    Date(DateField, Cmp, Span),
    Via(String),
    Organization(Option<Id>),
    Role(Role),
    Email {
        value: String,
        prefix: bool,
    },
    Phone(String),
    ExternalId {
        value: String,
        prefix: bool,
    },
    /// A value no record can have (`status:bogus`).
    Nothing,
}

/// A clause: a condition, possibly negated.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub negated: bool,
    pub pred: Pred,
}

/// What results are sorted by (`sort_by`, or `order_by:` in the query).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    CreatedAt,
    UpdatedAt,
    Priority,
    Status,
    TicketType,
}

impl SortField {
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_lowercase().as_str() {
            "created" | "created_at" => Some(Self::CreatedAt),
            // `commented` sorts by the last comment; a comment always updates the ticket.
            "updated" | "updated_at" | "commented" => Some(Self::UpdatedAt),
            "priority" => Some(Self::Priority),
            "status" => Some(Self::Status),
            "ticket_type" | "type" => Some(Self::TicketType),
            _ => None,
        }
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    pub clauses: Vec<Clause>,
    /// `order_by:` in the query.
    pub order_by: Option<SortField>,
    /// `sort:asc|desc` in the query: `Some(true)` for descending.
    pub descending: Option<bool>,
}

impl Query {
    /// Parses `query` at account time `now` (relative dates like `created>4hours`). Values a
    /// keyword cannot take are refused the way Zendesk refuses them: 422 "Invalid search".
    pub fn parse(query: &str, now: Timestamp) -> ApiResult<Self> {
        let mut out = Query::default();
        for raw in split(query) {
            out.push(raw, now)?;
        }
        Ok(out)
    }

    /// The only kind a query can return, when its positive `type:` clauses all name one
    /// (several different ones are alternatives).
    pub fn kind(&self) -> Option<Kind> {
        let mut kinds = self.clauses.iter().filter_map(|c| match c.pred {
            Pred::Type(kind) if !c.negated => Some(kind),
            _ => None,
        });
        let first = kinds.next()?;
        kinds.all(|k| k == first).then_some(first)
    }

    fn push(&mut self, raw: RawClause, now: Timestamp) -> ApiResult<()> {
        let RawClause {
            negated,
            keyword,
            op,
            value,
            quoted,
        } = raw;
        let Some(keyword) = keyword else {
            if let Some(text) = text_clause(None, &value, quoted) {
                self.clauses.push(Clause {
                    negated,
                    pred: Pred::Text(text),
                });
            }
            return Ok(());
        };
        let ordered = matches!(
            keyword.as_str(),
            "status" | "priority" | "created" | "updated" | "solved"
        );
        if op != Cmp::Eq && !ordered {
            return Err(ApiError::invalid_search(format!(
                "{keyword} cannot be compared with < or >"
            )));
        }
        let lower = value.to_lowercase();
        let (bare, prefix) = match lower.strip_suffix('*') {
            Some(stem) if !quoted => (stem.to_owned(), true),
            _ => (lower.clone(), false),
        };
        let pred = match keyword.as_str() {
            "order_by" => {
                self.order_by = SortField::parse(&lower).or(self.order_by);
                return Ok(());
            }
            "sort" => {
                self.descending = match lower.as_str() {
                    "asc" => Some(false),
                    "desc" => Some(true),
                    _ => self.descending,
                };
                return Ok(());
            }
            "type" => Kind::parse(&lower).map_or(Pred::Nothing, Pred::Type),
            "status" => Status::parse(&lower).map_or(Pred::Nothing, |s| Pred::Status(op, s)),
            "priority" if lower == "none" => Pred::Priority(op, None),
            "priority" => PRIORITIES
                .iter()
                .position(|p| *p == lower)
                .map_or(Pred::Nothing, |p| Pred::Priority(op, Some(p as u8))),
            "ticket_type" => Pred::TicketType((lower != "none").then_some(lower)),
            "requester" | "assignee" | "submitter" => {
                let party = match keyword.as_str() {
                    "requester" => Party::Requester,
                    "assignee" => Party::Assignee,
                    _ => Party::Submitter,
                };
                Pred::Party(party, user_value(&bare, prefix))
            }
            "tags" | "tag" => Pred::Tag {
                value: bare,
                prefix,
            },
            "created" | "updated" | "solved" => {
                let field = match keyword.as_str() {
                    "created" => DateField::Created,
                    "updated" => DateField::Updated,
                    _ => DateField::Solved,
                };
                let span = parse_span(&lower, now).ok_or_else(|| {
                    ApiError::invalid_search(format!("{value} is not a valid date for {keyword}"))
                })?;
                Pred::Date(field, op, span)
            }
            "via" => Pred::Via(lower),
            "organization" if lower == "none" => Pred::Organization(None),
            "organization" => lower
                .parse()
                .map_or(Pred::Nothing, |id| Pred::Organization(Some(id))),
            "role" => Role::parse(&lower).map_or(Pred::Nothing, Pred::Role),
            "email" => Pred::Email {
                value: bare,
                prefix,
            },
            "phone" => {
                let digits: String = lower.chars().filter(char::is_ascii_digit).collect();
                if digits.is_empty() {
                    Pred::Nothing
                } else {
                    Pred::Phone(digits)
                }
            }
            "external_id" => Pred::ExternalId {
                value: bare,
                prefix,
            },
            field_keyword => {
                let field = match field_keyword {
                    "subject" => Field::Subject,
                    "description" => Field::Description,
                    "comment" => Field::Comment,
                    "name" => Field::Name,
                    "notes" => Field::Notes,
                    "details" => Field::Details,
                    _ => unreachable!("keyword list and match arms agree"),
                };
                match text_clause(Some(field), &value, quoted) {
                    Some(text) => Pred::Text(text),
                    None => return Ok(()),
                }
            }
        };
        self.clauses.push(Clause { negated, pred });
        Ok(())
    }
}

/// The keywords this parser knows; anything else before a colon is text.
const KEYWORDS: &[&str] = &[
    "type",
    "status",
    "priority",
    "ticket_type",
    "requester",
    "assignee",
    "submitter",
    "tags",
    "tag",
    "subject",
    "description",
    "comment",
    "created",
    "updated",
    "solved",
    "via",
    "organization",
    "role",
    "email",
    "phone",
    "name",
    "external_id",
    "notes",
    "details",
    "order_by",
    "sort",
];

fn text_clause(field: Option<Field>, value: &str, quoted: bool) -> Option<Text> {
    let stem = if quoted {
        value
    } else {
        value.strip_suffix('*').unwrap_or(value)
    };
    let words: Vec<String> = words(stem).collect();
    if words.is_empty() {
        return None;
    }
    let ticket_id = (field.is_none() && !quoted && stem.chars().all(|c| c.is_ascii_digit()))
        .then(|| stem.parse().ok())
        .flatten();
    Some(Text {
        field,
        words,
        prefix: !quoted,
        digits: phone_digits(stem),
        ticket_id,
    })
}

fn user_value(value: &str, prefix: bool) -> UserValue {
    match value {
        "me" => UserValue::Me,
        "none" => UserValue::None,
        v if !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()) => {
            v.parse().map_or(UserValue::None, UserValue::Id)
        }
        v if v.contains('@') => UserValue::Email {
            value: v.to_owned(),
            prefix,
        },
        v => UserValue::Name(words(v).collect()),
    }
}

/// `2012-07-17` (that day), an RFC 3339 instant, or a time relative to now (`4hours`,
/// `2 days`, `1week`: that long ago).
fn parse_span(value: &str, now: Timestamp) -> Option<Span> {
    let value = value.trim();
    if let Some(at) = parse_rfc3339(&value.to_uppercase()) {
        return Some(Span {
            start: at,
            end: at + 1,
        });
    }
    if let Ok(date) = Date::parse(value, &Iso8601::DATE) {
        let start = date.midnight().assume_utc().unix_timestamp();
        return Some(Span {
            start,
            end: start + 86_400,
        });
    }
    let digits_end = value.find(|c: char| !c.is_ascii_digit())?;
    let amount: i64 = value[..digits_end].parse().ok()?;
    let unit = value[digits_end..].trim();
    let seconds = match unit.trim_end_matches('s') {
        "minute" | "min" => 60,
        "hour" => 3_600,
        "day" => 86_400,
        "week" => 7 * 86_400,
        "month" => 30 * 86_400,
        "year" => 365 * 86_400,
        _ => return None,
    };
    let at = now.checked_sub(amount.checked_mul(seconds)?)?;
    Some(Span {
        start: at,
        end: at + 1,
    })
}

/// A clause as written, before its keyword is interpreted.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RawClause {
    negated: bool,
    keyword: Option<String>,
    op: Cmp,
    value: String,
    quoted: bool,
}

/// Splits a query into clauses: whitespace separates them, except inside double quotes; an
/// unterminated quote runs to the end (Zendesk does not refuse it).
fn split(query: &str) -> Vec<RawClause> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let negated = chars[i] == '-' && chars.get(i + 1).is_some_and(|c| !c.is_whitespace());
        if negated {
            i += 1;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
            i += 1;
        }
        let head: String = chars[start..i].iter().collect();
        let (keyword, op, rest) = keyword_of(&head);
        let quote_opens = match keyword {
            Some(_) => rest.is_empty(),
            None => head.is_empty(),
        };
        let (value, quoted) = if quote_opens && chars.get(i) == Some(&'"') {
            let open = i + 1;
            let close = chars[open..]
                .iter()
                .position(|&c| c == '"')
                .map_or(chars.len(), |p| open + p);
            i = (close + 1).min(chars.len());
            (chars[open..close].iter().collect(), true)
        } else {
            // A quote inside a bare word is just a separator.
            while i < chars.len() && !chars[i].is_whitespace() {
                i += 1;
            }
            let whole: String = chars[start..i].iter().collect();
            let value_at = if keyword.is_some() {
                head.len() - rest.len()
            } else {
                0
            };
            (whole[value_at..].to_owned(), false)
        };
        out.push(RawClause {
            negated,
            keyword,
            op,
            value,
            quoted,
        });
    }
    out
}

/// `status<=solved` → (`status`, Le, `solved`); text without a known keyword → (None, Eq, text).
fn keyword_of(head: &str) -> (Option<String>, Cmp, &str) {
    let Some(split_at) = head.find([':', '<', '>']) else {
        return (None, Cmp::Eq, head);
    };
    let keyword = head[..split_at].to_lowercase();
    if !KEYWORDS.contains(&keyword.as_str()) {
        return (None, Cmp::Eq, head);
    }
    let mut rest = &head[split_at..];
    rest = rest.strip_prefix(':').unwrap_or(rest);
    let (op, rest) = if let Some(r) = rest.strip_prefix("<=") {
        (Cmp::Le, r)
    } else if let Some(r) = rest.strip_prefix(">=") {
        (Cmp::Ge, r)
    } else if let Some(r) = rest.strip_prefix('<') {
        (Cmp::Lt, r)
    } else if let Some(r) = rest.strip_prefix('>') {
        (Cmp::Gt, r)
    } else {
        (Cmp::Eq, rest)
    };
    (Some(keyword), op, rest)
}
