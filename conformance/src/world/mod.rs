//! Generated worlds with ground truth: an account holding one data subject's personal data in
//! known places, for checking a privacy tool (the *client*) rather than the server.
//!
//! A [`WorldSpec`] is what proptest generates and shrinks: small lists whose entries refer to
//! one another by position ([`proptest::sample::Index`]), so removing a namesake or a ticket
//! never leaves a dangling reference. [`World::build`] turns a spec into a [`World`]: people
//! with their identifiers, tickets with their comments and attachments, suspended tickets —
//! and the ground truth, the [`Plant`]s saying where each piece of the subject's data sits.
//! [`World::to_seed`] is the body of `POST /__mock/seed`; [`World`]'s `Display` is the
//! human-readable form printed with a failure.
//!
//! What a world contains (the list): agents; end users; a data subject with one to
//! three emails, maybe a phone and a postal address; namesakes (same name, other identifiers);
//! tickets in every status, soft-deleted ones included; comments naming the subject's
//! identifiers in text or HTML (formatting tags, `mailto:` links, an upper-case email); the
//! subject mentioned in other requesters' tickets; attachments whose content holds the
//! subject's data; suspended tickets.
//!
//! ## Invariants `build` keeps (so that a correct tool *can* pass)
//!
//! - Every place holding the subject's data is reachable through the Zendesk API from the
//!   subject's identifiers: their requested tickets (live, or soft-deleted — listed by the
//!   incremental ticket export), tickets that search finds by an email, the phone or the
//!   address written in a comment, and suspended tickets sent from the subject's email.
//!   So: other requesters' soft-deleted tickets hold none of the subject's data, and an
//!   attachment holds it only in a ticket that is the subject's or mentions them in text.
//! - The name alone never marks the subject outside the subject's own tickets: a mention in
//!   someone else's ticket always carries an email, the phone or the address. Namesakes'
//!   tickets hold only the namesake's data — including the shared name.
//! - Each comment carries a marker (`ref QABC`) unique in the world, so an export can be
//!   checked for which comments it holds.

mod build;
mod display;
mod seed;
mod spec;
mod text;

pub use spec::{
    Author, CommentSpec, Form, Mention, PersonSpec, Sizes, SubjectSpec, SuspendedSpec, TicketSpec,
    Who, WorldSpec,
};

use serde::{Deserialize, Serialize};

/// The seed `ref` of the data subject.
pub const SUBJECT_REF: &str = "subject";

/// A ticket's status, as the seed and the API spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    New,
    Open,
    Pending,
    Hold,
    Solved,
    Closed,
}

impl Status {
    /// Every status, in the order the strategy shrinks towards (open first).
    pub const ALL: [Status; 6] = [
        Status::Open,
        Status::New,
        Status::Pending,
        Status::Hold,
        Status::Solved,
        Status::Closed,
    ];

    /// The API's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::Pending => "pending",
            Status::Hold => "hold",
            Status::Solved => "solved",
            Status::Closed => "closed",
        }
    }
}

/// Who someone in a world is, as tickets and comments refer to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Party {
    /// The data subject.
    Subject,
    /// `people[i]`.
    Person(usize),
}

/// What a person other than the subject is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Staff: writes replies and internal notes.
    Agent,
    /// An end user with the subject's name and identifiers of their own.
    Namesake,
    /// Any other end user.
    Other,
}

/// The data subject: whose data the tool must find, erase, export or stop processing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub name: String,
    /// The first is the primary email (`SUBJECT_EMAIL`); the rest are further identities.
    pub emails: Vec<String>,
    pub phone: Option<String>,
    /// A postal address, kept in the user's `details`.
    pub address: Option<String>,
    /// Suspended before the run (an earlier objection): their emails land in suspended tickets.
    pub suspended: bool,
}

impl Subject {
    /// The primary email.
    pub fn email(&self) -> &str {
        self.emails.first().map_or("", String::as_str)
    }

    /// Identifiers only the subject has: every email, the phone, the address.
    pub fn unique_needles(&self) -> Vec<String> {
        let mut needles = self.emails.clone();
        needles.extend(self.phone.clone());
        needles.extend(self.address.clone());
        needles
    }

    /// Everything that identifies the subject: the unique identifiers and the name (which a
    /// namesake shares).
    pub fn needles(&self) -> Vec<String> {
        let mut needles = self.unique_needles();
        needles.push(self.name.clone());
        needles
    }
}

/// Someone in the world other than the subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The seed `ref` (`agent-0`, `namesake-1`, `other-2`).
    pub reference: String,
    pub role: Role,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub suspended: bool,
}

impl Person {
    /// This person's own identifiers (not the name, which a namesake shares with the subject).
    pub fn identifiers(&self) -> Vec<String> {
        let mut ids = vec![self.email.clone()];
        ids.extend(self.phone.clone());
        ids.extend(self.address.clone());
        ids
    }
}

/// A file attached to a comment, its content given as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub content: String,
}

/// A comment: plain text (`body`) or HTML (`html`), never both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub author: Party,
    pub public: bool,
    pub body: Option<String>,
    pub html: Option<String>,
    /// `ref QABC`: unique in the world, written into the text.
    pub marker: String,
    pub attachments: Vec<Attachment>,
}

/// A ticket with its comments, in the status it ends up in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// The ticket's subject line (never personal data).
    pub title: String,
    pub requester: Party,
    pub status: Status,
    /// Left in the Deleted Tickets view (soft-deleted, awaiting its scrub).
    pub deleted: bool,
    pub comments: Vec<Comment>,
}

/// An email from a suspended sender, held in the suspended-tickets queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspended {
    pub from: Party,
    pub name: String,
    pub email: String,
    pub title: String,
    pub body: String,
    /// `ref Z…`: unique in the world, written into the body.
    pub marker: String,
}

/// Where a piece of the subject's data sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// The subject's own user record (name, identities, phone, details).
    User,
    /// `tickets[ticket].comments[comment]`'s text.
    Comment { ticket: usize, comment: usize },
    /// An attachment's content.
    Attachment {
        ticket: usize,
        comment: usize,
        attachment: usize,
    },
    /// `suspended[index]`.
    Suspended { index: usize },
}

/// One piece of the subject's data in one place: the ground truth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plant {
    /// The text planted, as the subject's record spells it (a comment may spell an email in
    /// another case; needles match case-insensitively).
    pub needle: String,
    pub place: Place,
}

/// A generated account: people, tickets, suspended tickets, and where the subject's data is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct World {
    pub subject: Subject,
    pub people: Vec<Person>,
    pub tickets: Vec<Ticket>,
    pub suspended: Vec<Suspended>,
    pub plants: Vec<Plant>,
}

impl World {
    /// The seed `ref` of a party.
    pub fn reference(&self, party: Party) -> &str {
        match party {
            Party::Subject => SUBJECT_REF,
            Party::Person(i) => &self.people[i].reference,
        }
    }

    /// Whether `place` holds any of the subject's data.
    pub fn holds(&self, place: Place) -> bool {
        self.plants.iter().any(|p| p.place == place)
    }

    /// The subject's data planted in `place`.
    pub fn plants_in(&self, place: Place) -> impl Iterator<Item = &Plant> {
        self.plants.iter().filter(move |p| p.place == place)
    }

    /// Whether ticket `t` holds the subject's data: theirs, or any of its comments or
    /// attachments does.
    pub fn ticket_holds(&self, t: usize) -> bool {
        self.tickets[t].requester == Party::Subject
            || self.plants.iter().any(|p| match p.place {
                Place::Comment { ticket, .. } | Place::Attachment { ticket, .. } => ticket == t,
                _ => false,
            })
    }

    /// Whether comment `c` of ticket `t` (its text or an attachment) holds the subject's data.
    pub fn comment_holds(&self, t: usize, c: usize) -> bool {
        self.plants.iter().any(|p| match p.place {
            Place::Comment { ticket, comment }
            | Place::Attachment {
                ticket, comment, ..
            } => (ticket, comment) == (t, c),
            _ => false,
        })
    }

    /// Whether ticket `t` has an attachment holding the subject's data (only deleting the
    /// ticket removes it: attachments are not searchable, and the guide says to delete).
    pub fn ticket_has_pii_attachment(&self, t: usize) -> bool {
        self.plants
            .iter()
            .any(|p| matches!(p.place, Place::Attachment { ticket, .. } if ticket == t))
    }

    /// Clean tickets: neither the subject's nor holding any of their data.
    pub fn clean_tickets(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.tickets.len()).filter(|&t| !self.ticket_holds(t))
    }

    /// The people of a role.
    pub fn people_with(&self, role: Role) -> impl Iterator<Item = &Person> {
        self.people.iter().filter(move |p| p.role == role)
    }

    /// How many entities the world has besides the subject and the account owner: people,
    /// tickets, comments and suspended tickets (a shrunk failure should have few).
    pub fn size(&self) -> usize {
        self.people.len()
            + self.tickets.len()
            + self.tickets.iter().map(|t| t.comments.len()).sum::<usize>()
            + self.suspended.len()
    }
}
