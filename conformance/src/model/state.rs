//! The model's state: users with their identities, tickets with their comments, and the clock.
//! Entities are kept in creation order and never removed, so a position names the same entity
//! for the whole of a run (a permanently deleted one included); the rules live in
//! [`super::users`], [`super::tickets`] and [`super::lifecycle`].

use super::pools::{OWNER_EMAIL, OWNER_NAME};
use std::fmt;

/// An entity's place in creation order: `u0` is the owner admin, `t0` the first ticket.
pub type Pos = usize;

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// The schedule Zendesk runs on its own (facts §3.4, §4.3, design.md "Time, jobs and
/// lifecycle"). A parameter rather than a constant so that a run can prove it notices a model
/// whose rule is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Soft-deleted users are permanently deleted, and soft-deleted tickets scrubbed, this many
    /// days after the soft delete (HC:5007485121562; facts §4.3).
    pub purge_after_days: i64,
    /// Solved tickets close this many days after they were solved (Zendesk's default
    /// automation "close ticket 4 days after status is set to solved").
    pub solved_to_closed_days: i64,
}

impl Rules {
    /// Zendesk's defaults: 30 days, 4 days.
    pub const ZENDESK: Self = Self {
        purge_after_days: 30,
        solved_to_closed_days: 4,
    };
}

impl Default for Rules {
    fn default() -> Self {
        Self::ZENDESK
    }
}

/// Where a user is in the deletion lifecycle (facts §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserState {
    Active,
    /// Soft-deleted at this time: `active:false`, identities freed, listed in deleted_users.
    SoftDeleted {
        at: i64,
    },
    /// Permanently deleted (by the API or the purge): only the placeholder remains.
    PermanentlyDeleted,
}

/// The identity types the model uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IdentityKind {
    Email,
    Phone,
}

impl IdentityKind {
    /// Zendesk's type name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone_number",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub kind: IdentityKind,
    pub value: String,
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    /// The account owner: never deletable (design.md).
    pub owner: bool,
    pub state: UserState,
    pub suspended: bool,
    pub phone: Option<String>,
    /// Oldest first.
    pub identities: Vec<Identity>,
}

impl User {
    pub fn is_active(&self) -> bool {
        self.state == UserState::Active
    }

    /// `user.email`: the primary email identity's value.
    pub fn email(&self) -> Option<&str> {
        self.identities
            .iter()
            .find(|i| i.kind == IdentityKind::Email && i.primary)
            .map(|i| i.value.as_str())
    }

    pub fn has_identity(&self, kind: IdentityKind, value: &str) -> bool {
        self.identities
            .iter()
            .any(|i| i.kind == kind && i.value.eq_ignore_ascii_case(value))
    }

    /// Adds an identity; the first of its type becomes primary (facts §3.5: `primary` is
    /// writable on create only, and later identities stay secondary). Emails are kept
    /// lowercased: they match without regard to case, and are compared so.
    pub fn add_identity(&mut self, kind: IdentityKind, value: &str) {
        let primary = !self.identities.iter().any(|i| i.kind == kind);
        self.identities.push(Identity {
            kind,
            value: value.to_lowercase(),
            primary,
        });
    }
}

/// Ticket status (facts §4.1), in Zendesk's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    New,
    Open,
    Pending,
    Hold,
    Solved,
    Closed,
}

impl Status {
    pub const ALL: [Self; 6] = [
        Self::New,
        Self::Open,
        Self::Pending,
        Self::Hold,
        Self::Solved,
        Self::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Open => "open",
            Self::Pending => "pending",
            Self::Hold => "hold",
            Self::Solved => "solved",
            Self::Closed => "closed",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a ticket is live, in the Deleted Tickets view, or gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketState {
    Active,
    /// Soft-deleted at this time: 404 on show, listed in deleted_tickets (facts §4.3).
    SoftDeleted {
        at: i64,
    },
    /// Permanently deleted by the API or scrubbed by the 30-day purge: restore is 404.
    Deleted,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The plain text; redaction turns characters into ▇.
    pub body: String,
    pub public: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub subject: String,
    pub status: Status,
    pub requester: Pos,
    pub state: TicketState,
    /// When the ticket last became solved (or was created solved or closed): the automation
    /// closes it [`Rules::solved_to_closed_days`] later.
    pub solved_at: Option<i64>,
    /// Oldest first; the first is the description. Kept after deletion so positions stay.
    pub comments: Vec<Comment>,
}

impl Ticket {
    pub fn is_active(&self) -> bool {
        self.state == TicketState::Active
    }
}

/// The whole model: what a fresh account holds after a sequence of operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    pub rules: Rules,
    /// Seconds since the account's clock was frozen at the start.
    pub now: i64,
    pub users: Vec<User>,
    pub tickets: Vec<Ticket>,
}

impl Model {
    /// A fresh account: the owner admin (`u0`) and nothing else.
    pub fn new(rules: Rules) -> Self {
        let mut owner = User {
            name: OWNER_NAME.to_owned(),
            owner: true,
            state: UserState::Active,
            suspended: false,
            phone: None,
            identities: Vec::new(),
        };
        owner.add_identity(IdentityKind::Email, OWNER_EMAIL);
        Self {
            rules,
            now: 0,
            users: vec![owner],
            tickets: Vec::new(),
        }
    }

    /// The active user holding this identity value, if any: only active users' identities
    /// are taken, since a soft delete frees them for reuse (facts §3.4, ZD2 run live).
    pub fn holder(&self, kind: IdentityKind, value: &str) -> Option<Pos> {
        self.users
            .iter()
            .position(|u| u.is_active() && u.has_identity(kind, value))
    }

    /// How many live tickets `user` requests that are not closed (solved counts as not
    /// closed; soft-deleted tickets do not count): the delete guard (design.md).
    pub fn unclosed_requested(&self, user: Pos) -> usize {
        self.tickets
            .iter()
            .filter(|t| t.is_active() && t.requester == user && t.status != Status::Closed)
            .count()
    }
}
