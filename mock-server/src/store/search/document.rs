//! What the index knows of a record: a [`Doc`] extracted from the store at write time — the
//! normalized text of each searchable field and the attributes keywords compare against.
//! Extraction is the only place that reads the store, so the index (which may lag) and the
//! brute-force scan (which never does) see records through the same lens.

use super::analyze::{normalize, phone_digits, words};
use crate::store::Id;
use crate::store::account::AccountData;
use crate::store::clock::Timestamp;
use crate::store::identities::{Identity, IdentityType};
use crate::store::tickets::{Status, Ticket};
use crate::store::users::{Role, User};
use std::borrow::Cow;
use std::collections::HashMap;

/// A searchable record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocKey {
    Ticket(Id),
    User(Id),
}

/// The searchable text fields. Tickets: subject, description, comment, tags. Users: name,
/// identity (every email and other identity value), phone (as written, and its digits), notes,
/// details, external_id, tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Subject,
    Description,
    Comment,
    Tags,
    Name,
    Identity,
    Phone,
    Notes,
    Details,
    ExternalId,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::Subject,
        Field::Description,
        Field::Comment,
        Field::Tags,
        Field::Name,
        Field::Identity,
        Field::Phone,
        Field::Notes,
        Field::Details,
        Field::ExternalId,
    ];

    /// The field's name, as its search keyword spells it.
    pub fn name(self) -> &'static str {
        match self {
            Field::Subject => "subject",
            Field::Description => "description",
            Field::Comment => "comment",
            Field::Tags => "tags",
            Field::Name => "name",
            Field::Identity => "identity",
            Field::Phone => "phone",
            Field::Notes => "notes",
            Field::Details => "details",
            Field::ExternalId => "external_id",
        }
    }

    /// This field's bit in a posting's field mask.
    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// Ticket priorities in Zendesk's order (`priority>normal`).
pub const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];

/// Ticket types as Zendesk spells them (`ticket_type:incident`).
pub const TICKET_TYPES: [&str; 4] = ["question", "incident", "problem", "task"];

/// The channels the mock creates tickets through (`via:api`).
pub const CHANNELS: [&str; 3] = ["api", "web", "email"];

/// `value` lowercased: one of `known` without an allocation (every record of an account holds
/// one of a few channels and ticket types), anything else as its own string.
fn label(value: &str, known: &[&'static str]) -> Cow<'static, str> {
    match known.iter().find(|k| k.eq_ignore_ascii_case(value)) {
        Some(known) => Cow::Borrowed(*known),
        None => Cow::Owned(value.to_lowercase()),
    }
}

/// Lowercased strings, exactly as long as they need to be: an index keeps one set per record.
pub type Strings = Box<[Box<str>]>;

/// The attributes keywords compare against.
#[derive(Debug, Clone, PartialEq)]
pub enum Attrs {
    Ticket {
        status: Status,
        /// Index into [`PRIORITIES`].
        priority: Option<u8>,
        /// Lowercased ([`TICKET_TYPES`]).
        ticket_type: Option<Cow<'static, str>>,
        requester_id: Id,
        submitter_id: Id,
        assignee_id: Option<Id>,
        organization_id: Option<Id>,
        /// Lowercased ([`CHANNELS`]).
        channel: Cow<'static, str>,
        solved_at: Option<Timestamp>,
        tags: Strings,
    },
    User {
        role: Role,
        tags: Strings,
        /// Lowercased email identities.
        emails: Strings,
        /// Digits of the phone field and of phone identities.
        phones: Strings,
        /// Lowercased.
        external_id: Option<Box<str>>,
        organization_id: Option<Id>,
    },
}

/// A record as the index sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub key: DocKey,
    /// Normalized text ([`normalize`]) of each non-empty field.
    pub text: Box<[(Field, Box<str>)]>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub attrs: Attrs,
}

impl Doc {
    /// The normalized text of `field`, if the record has any.
    pub fn field(&self, field: Field) -> Option<&str> {
        self.text
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, t)| &**t)
    }

    /// Heap bytes this record holds (text and attributes), from lengths and capacities.
    pub fn heap_bytes(&self) -> usize {
        let strings = |list: &[Box<str>]| -> usize {
            std::mem::size_of_val(list) + list.iter().map(|s| s.len()).sum::<usize>()
        };
        let owned = |label: &Cow<'static, str>| match label {
            Cow::Borrowed(_) => 0,
            Cow::Owned(label) => label.capacity(),
        };
        let text = std::mem::size_of_val(&*self.text)
            + self.text.iter().map(|(_, t)| t.len()).sum::<usize>();
        let attrs = match &self.attrs {
            Attrs::Ticket {
                ticket_type,
                channel,
                tags,
                ..
            } => ticket_type.as_ref().map_or(0, owned) + owned(channel) + strings(tags),
            Attrs::User {
                tags,
                emails,
                phones,
                external_id,
                ..
            } => {
                strings(tags)
                    + strings(emails)
                    + strings(phones)
                    + external_id.as_ref().map_or(0, |e| e.len())
            }
        };
        text + attrs
    }
}

fn push(text: &mut Vec<(Field, Box<str>)>, field: Field, normalized: String) {
    if !normalized.is_empty() {
        text.push((field, normalized.into_boxed_str()));
    }
}

impl AccountData {
    /// The searchable form of a record, or `None` when search must not find it: soft-deleted
    /// tickets and users (deleted records leave search; INFERRED from their leaving every list).
    pub(crate) fn search_doc(&self, key: DocKey) -> Option<Doc> {
        match key {
            DocKey::Ticket(id) => self.tickets.get(&id).and_then(|t| self.ticket_doc(t)),
            DocKey::User(id) => {
                let user = self.users.get(&id)?;
                let identities: Vec<&Identity> = self.identities_of_user(id).collect();
                user_doc(user, &identities)
            }
        }
    }

    /// Every searchable record, for the brute-force scan.
    pub fn all_search_docs(&self) -> Vec<Doc> {
        self.search_docs().collect()
    }

    /// Every searchable record, extracted one at a time (a full rebuild indexes each and lets
    /// its text go before extracting the next).
    pub(crate) fn search_docs(&self) -> impl Iterator<Item = Doc> + '_ {
        let mut by_user: HashMap<Id, Vec<&Identity>> = HashMap::new();
        for identity in self.identities.values() {
            by_user.entry(identity.user_id).or_default().push(identity);
        }
        let users = self
            .users
            .values()
            .filter_map(move |u| user_doc(u, by_user.get(&u.id).map(Vec::as_slice).unwrap_or(&[])));
        let tickets = self.tickets.values().filter_map(|t| self.ticket_doc(t));
        users.chain(tickets)
    }

    fn ticket_doc(&self, ticket: &Ticket) -> Option<Doc> {
        if !ticket.is_active() {
            return None;
        }
        let comments: Vec<String> = ticket
            .comment_ids
            .iter()
            .filter_map(|id| self.comments.get(id))
            .map(|c| c.plain_body())
            .collect();
        let mut text = Vec::new();
        push(
            &mut text,
            Field::Subject,
            normalize(ticket.subject.as_deref()),
        );
        push(
            &mut text,
            Field::Description,
            normalize(comments.first().map(String::as_str)),
        );
        push(
            &mut text,
            Field::Comment,
            normalize(comments.iter().map(String::as_str)),
        );
        push(
            &mut text,
            Field::Tags,
            normalize(ticket.tags.iter().map(String::as_str)),
        );
        let priority = ticket
            .priority
            .as_deref()
            .and_then(|p| PRIORITIES.iter().position(|x| x.eq_ignore_ascii_case(p)))
            .map(|p| p as u8);
        Some(Doc {
            key: DocKey::Ticket(ticket.id),
            text: text.into(),
            created_at: ticket.created_at,
            updated_at: ticket.updated_at,
            attrs: Attrs::Ticket {
                status: ticket.status,
                priority,
                ticket_type: ticket.kind.as_deref().map(|t| label(t, &TICKET_TYPES)),
                requester_id: ticket.requester_id,
                submitter_id: ticket.submitter_id,
                assignee_id: ticket.assignee_id,
                organization_id: ticket.organization_id,
                channel: label(&ticket.channel, &CHANNELS),
                solved_at: ticket.solved_at,
                tags: ticket
                    .tags
                    .iter()
                    .map(|t| t.to_lowercase().into())
                    .collect(),
            },
        })
    }
}

fn user_doc(user: &User, identities: &[&Identity]) -> Option<Doc> {
    if !user.is_active() {
        return None;
    }
    let is_phone = |i: &&&Identity| i.kind == IdentityType::PhoneNumber;
    let phones_as_written: Vec<&str> = user
        .phone
        .as_deref()
        .into_iter()
        .chain(identities.iter().filter(is_phone).map(|i| i.value.as_str()))
        .collect();
    let phones: Vec<Box<str>> = phones_as_written
        .iter()
        .filter_map(|p| phone_digits(p).map(String::into_boxed_str))
        .collect();
    let mut text = Vec::new();
    push(&mut text, Field::Name, normalize([user.name.as_str()]));
    push(
        &mut text,
        Field::Identity,
        normalize(
            identities
                .iter()
                .filter(|i| !is_phone(i))
                .map(|i| i.value.as_str()),
        ),
    );
    let phone_values = phones_as_written
        .iter()
        .copied()
        .chain(phones.iter().map(|p| &**p));
    push(&mut text, Field::Phone, normalize(phone_values));
    push(&mut text, Field::Notes, normalize(user.notes.as_deref()));
    push(
        &mut text,
        Field::Details,
        normalize(user.details.as_deref()),
    );
    push(
        &mut text,
        Field::ExternalId,
        normalize(user.external_id.as_deref()),
    );
    push(
        &mut text,
        Field::Tags,
        normalize(user.tags.iter().map(String::as_str)),
    );
    let emails = identities
        .iter()
        .filter(|i| i.kind == IdentityType::Email)
        .map(|i| i.value.to_lowercase().into_boxed_str())
        .collect();
    Some(Doc {
        key: DocKey::User(user.id),
        text: text.into(),
        created_at: user.created_at,
        updated_at: user.updated_at,
        attrs: Attrs::User {
            role: user.role,
            tags: user.tags.iter().map(|t| t.to_lowercase().into()).collect(),
            emails,
            phones: phones.into(),
            external_id: user.external_id.as_deref().map(|e| e.to_lowercase().into()),
            organization_id: user.organization_id,
        },
    })
}

/// The words of a name, for `requester:"Jane Roe"`.
pub fn name_words(text: &str) -> Vec<String> {
    words(text).collect()
}
