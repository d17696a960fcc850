//! Operations. [`Op`] is what proptest generates and shrinks: entities are named by
//! [`Index`], a position relative to however many entities exist when the operation runs, so
//! deleting an earlier operation while shrinking never leaves a dangling reference. [`Step`] is
//! an operation resolved against the model: concrete positions (`u2`, `t0`), the exact ids of a
//! bulk call, the text of a comment. Both sides run steps, and failures print them.

use super::state::{Model, Pos, Status, TicketState, UserState};
use proptest::sample::Index;
use std::fmt;

/// How a bulk call's id list is filled up past the chosen entities: with ids no entity has,
/// to exactly 100 (the limit) or 101 (one too many: 400 TooManyValues).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pad {
    None,
    To100,
    To101,
}

/// A user named by an operation: mostly one of the users the sequence created, sometimes the
/// owner admin (`u0`), who has rules of its own, or a soft-deleted user (what a permanent
/// delete wants). With no such user, the next kind: a soft-deleted pick falls back to any
/// other user, and with no other user, the owner.
#[derive(Debug, Clone, Copy)]
pub enum Who {
    Owner,
    Other(Index),
    SoftDeleted(Index),
}

impl Who {
    /// The position this names in `model`.
    pub fn resolve(self, model: &Model) -> Pos {
        let users = model.users.len();
        match self {
            Self::SoftDeleted(i) => {
                let deleted: Vec<Pos> = (0..users)
                    .filter(|&p| matches!(model.users[p].state, UserState::SoftDeleted { .. }))
                    .collect();
                if deleted.is_empty() {
                    Self::Other(i).resolve(model)
                } else {
                    deleted[i.index(deleted.len())]
                }
            }
            Self::Other(i) if users > 1 => 1 + i.index(users - 1),
            _ => 0,
        }
    }
}

/// A ticket named by an operation: any ticket, or a soft-deleted one (what a restore or a
/// permanent delete wants), falling back to any ticket. `None` before the first ticket.
#[derive(Debug, Clone, Copy)]
pub enum Which {
    Any(Index),
    SoftDeleted(Index),
}

impl Which {
    /// The position this names in `model`, if it has tickets.
    pub fn resolve(self, model: &Model) -> Option<Pos> {
        let tickets = model.tickets.len();
        match self {
            _ if tickets == 0 => None,
            Self::Any(i) => Some(i.index(tickets)),
            Self::SoftDeleted(i) => {
                let deleted: Vec<Pos> = (0..tickets)
                    .filter(|&t| matches!(model.tickets[t].state, TicketState::SoftDeleted { .. }))
                    .collect();
                if deleted.is_empty() {
                    Some(i.index(tickets))
                } else {
                    Some(deleted[i.index(deleted.len())])
                }
            }
        }
    }
}

/// A users/search query (facts §3.3): an email, or one word of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Query {
    Email(&'static str),
    Name(&'static str),
}

/// A generated operation.
#[derive(Debug, Clone)]
pub enum Op {
    CreateUser {
        name: &'static str,
        email: Option<&'static str>,
        phone: bool,
    },
    UpdateUser {
        user: Who,
        name: Option<&'static str>,
        email: Option<&'static str>,
    },
    AddIdentity {
        user: Who,
        email: &'static str,
    },
    /// Never the owner: a suspended owner could no longer make the calls.
    Suspend {
        user: Index,
        suspended: bool,
    },
    CreateTicket {
        requester: Who,
        status: Option<Status>,
        subject: &'static str,
        words: Vec<&'static str>,
    },
    SetStatus {
        ticket: Which,
        status: Status,
    },
    AddComment {
        ticket: Which,
        words: Vec<&'static str>,
        public: bool,
    },
    /// Legacy `PUT /tickets/{t}/comments/{c}/redact`.
    RedactText {
        ticket: Which,
        comment: Index,
        text: &'static str,
    },
    /// `PUT /comment_redactions/{c}` with every occurrence wrapped in `<redact>`.
    RedactMarkup {
        ticket: Which,
        comment: Index,
        text: &'static str,
    },
    DeleteUser {
        user: Who,
    },
    PermanentlyDeleteUser {
        user: Who,
    },
    DestroyManyUsers {
        users: Vec<Who>,
        pad: Pad,
    },
    DeleteTicket {
        ticket: Which,
    },
    RestoreTicket {
        ticket: Which,
    },
    PermanentlyDeleteTicket {
        ticket: Which,
    },
    DestroyManyTickets {
        tickets: Vec<Which>,
        pad: Pad,
    },
    AdvanceClock {
        days: i64,
    },
    ShowUser {
        user: Who,
    },
    ShowDeletedUser {
        user: Who,
    },
    RequestedTickets {
        user: Who,
    },
    ShowTicket {
        ticket: Which,
    },
    SearchUsers {
        query: Query,
    },
    ListComments {
        ticket: Which,
    },
    /// `GET /search?query=type:ticket <word>`: a word of [`super::pools::TICKET_QUERIES`].
    SearchTickets {
        word: &'static str,
    },
}

/// An operation resolved against the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Creates `user` (the next position).
    CreateUser {
        user: Pos,
        name: String,
        email: Option<String>,
        phone: Option<String>,
    },
    UpdateUser {
        user: Pos,
        name: Option<String>,
        email: Option<String>,
    },
    AddIdentity {
        user: Pos,
        email: String,
    },
    Suspend {
        user: Pos,
        suspended: bool,
    },
    /// Creates `ticket` (the next position) with its first comment.
    CreateTicket {
        ticket: Pos,
        requester: Pos,
        status: Option<Status>,
        subject: String,
        body: String,
    },
    SetStatus {
        ticket: Pos,
        status: Status,
    },
    AddComment {
        ticket: Pos,
        body: String,
        public: bool,
    },
    RedactText {
        ticket: Pos,
        comment: usize,
        text: String,
    },
    RedactMarkup {
        ticket: Pos,
        comment: usize,
        text: String,
    },
    DeleteUser {
        user: Pos,
    },
    PermanentlyDeleteUser {
        user: Pos,
    },
    /// `users` (distinct), then `unknown` ids that name nobody.
    DestroyManyUsers {
        users: Vec<Pos>,
        unknown: usize,
    },
    DeleteTicket {
        ticket: Pos,
    },
    RestoreTicket {
        ticket: Pos,
    },
    PermanentlyDeleteTicket {
        ticket: Pos,
    },
    DestroyManyTickets {
        tickets: Vec<Pos>,
        unknown: usize,
    },
    AdvanceClock {
        days: i64,
    },
    ShowUser {
        user: Pos,
    },
    ShowDeletedUser {
        user: Pos,
    },
    RequestedTickets {
        user: Pos,
    },
    ShowTicket {
        ticket: Pos,
    },
    SearchUsers {
        query: String,
    },
    ListComments {
        ticket: Pos,
    },
    SearchTickets {
        word: String,
    },
}

impl Op {
    /// The step this operation is in `model`'s state, or `None` when it names an entity kind
    /// the model has none of (a ticket before any ticket exists): such an operation is not
    /// generated, and shrinking may not produce it either (it is the state machine's
    /// precondition).
    pub fn resolve(&self, model: &Model) -> Option<Step> {
        let users = model.users.len();
        let tickets = model.tickets.len();
        let user = |w: &Who| w.resolve(model);
        let ticket = |w: &Which| w.resolve(model);
        let comment = |t: Pos, i: &Index| i.index(model.tickets[t].comments.len());
        Some(match self {
            Self::CreateUser { name, email, phone } => Step::CreateUser {
                user: users,
                name: (*name).to_owned(),
                email: email.map(str::to_owned),
                phone: phone.then(|| super::pools::phone_for(users)),
            },
            Self::UpdateUser {
                user: u,
                name,
                email,
            } => Step::UpdateUser {
                user: user(u),
                name: name.map(str::to_owned),
                email: email.map(str::to_owned),
            },
            Self::AddIdentity { user: u, email } => Step::AddIdentity {
                user: user(u),
                email: (*email).to_owned(),
            },
            Self::Suspend { user: u, suspended } => {
                if users < 2 {
                    return None;
                }
                Step::Suspend {
                    user: 1 + u.index(users - 1),
                    suspended: *suspended,
                }
            }
            Self::CreateTicket {
                requester,
                status,
                subject,
                words,
            } => Step::CreateTicket {
                ticket: tickets,
                requester: user(requester),
                status: *status,
                subject: (*subject).to_owned(),
                body: words.join(" "),
            },
            Self::SetStatus { ticket: t, status } => Step::SetStatus {
                ticket: ticket(t)?,
                status: *status,
            },
            Self::AddComment {
                ticket: t,
                words,
                public,
            } => Step::AddComment {
                ticket: ticket(t)?,
                body: words.join(" "),
                public: *public,
            },
            Self::RedactText {
                ticket: t,
                comment: c,
                text,
            } => {
                let t = ticket(t)?;
                Step::RedactText {
                    ticket: t,
                    comment: comment(t, c),
                    text: (*text).to_owned(),
                }
            }
            Self::RedactMarkup {
                ticket: t,
                comment: c,
                text,
            } => {
                let t = ticket(t)?;
                Step::RedactMarkup {
                    ticket: t,
                    comment: comment(t, c),
                    text: (*text).to_owned(),
                }
            }
            Self::DeleteUser { user: u } => Step::DeleteUser { user: user(u) },
            Self::PermanentlyDeleteUser { user: u } => {
                Step::PermanentlyDeleteUser { user: user(u) }
            }
            Self::DestroyManyUsers { users: picks, pad } => {
                let chosen = distinct(picks.iter().map(user));
                Step::DestroyManyUsers {
                    unknown: padding(chosen.len(), *pad),
                    users: chosen,
                }
            }
            Self::DeleteTicket { ticket: t } => Step::DeleteTicket { ticket: ticket(t)? },
            Self::RestoreTicket { ticket: t } => Step::RestoreTicket { ticket: ticket(t)? },
            Self::PermanentlyDeleteTicket { ticket: t } => {
                Step::PermanentlyDeleteTicket { ticket: ticket(t)? }
            }
            Self::DestroyManyTickets {
                tickets: picks,
                pad,
            } => {
                let chosen = distinct(picks.iter().map(ticket).collect::<Option<Vec<_>>>()?);
                Step::DestroyManyTickets {
                    unknown: padding(chosen.len(), *pad),
                    tickets: chosen,
                }
            }
            Self::AdvanceClock { days } => Step::AdvanceClock { days: *days },
            Self::ShowUser { user: u } => Step::ShowUser { user: user(u) },
            Self::ShowDeletedUser { user: u } => Step::ShowDeletedUser { user: user(u) },
            Self::RequestedTickets { user: u } => Step::RequestedTickets { user: user(u) },
            Self::ShowTicket { ticket: t } => Step::ShowTicket { ticket: ticket(t)? },
            Self::SearchUsers { query } => Step::SearchUsers {
                query: match query {
                    Query::Email(q) | Query::Name(q) => (*q).to_owned(),
                },
            },
            Self::ListComments { ticket: t } => Step::ListComments { ticket: ticket(t)? },
            Self::SearchTickets { word } => Step::SearchTickets {
                word: (*word).to_owned(),
            },
        })
    }
}

impl Step {
    /// The operation's name, for coverage counts.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::CreateUser { .. } => "create user",
            Self::UpdateUser { .. } => "update user",
            Self::AddIdentity { .. } => "add identity",
            Self::Suspend { .. } => "suspend/unsuspend",
            Self::CreateTicket { .. } => "create ticket",
            Self::SetStatus { .. } => "set ticket status",
            Self::AddComment { .. } => "add comment",
            Self::RedactText { .. } => "redact (legacy)",
            Self::RedactMarkup { .. } => "comment_redactions",
            Self::DeleteUser { .. } => "delete user",
            Self::PermanentlyDeleteUser { .. } => "permanently delete user",
            Self::DestroyManyUsers { .. } => "destroy_many users",
            Self::DeleteTicket { .. } => "delete ticket",
            Self::RestoreTicket { .. } => "restore ticket",
            Self::PermanentlyDeleteTicket { .. } => "permanently delete ticket",
            Self::DestroyManyTickets { .. } => "destroy_many tickets",
            Self::AdvanceClock { .. } => "advance clock",
            Self::ShowUser { .. } => "show user",
            Self::ShowDeletedUser { .. } => "show deleted user",
            Self::RequestedTickets { .. } => "requested tickets",
            Self::ShowTicket { .. } => "show ticket",
            Self::SearchUsers { .. } => "search users",
            Self::ListComments { .. } => "list comments",
            Self::SearchTickets { .. } => "search tickets",
        }
    }
}

/// Positions in first-seen order, each once: a bulk call names an entity at most once.
fn distinct(positions: impl IntoIterator<Item = Pos>) -> Vec<Pos> {
    let mut out = Vec::new();
    for p in positions {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// How many unknown ids fill a list of `chosen` ids up to the pad.
fn padding(chosen: usize, pad: Pad) -> usize {
    match pad {
        Pad::None => 0,
        Pad::To100 => 100usize.saturating_sub(chosen),
        Pad::To101 => 101usize.saturating_sub(chosen),
    }
}

fn positions(prefix: char, items: &[Pos], unknown: usize) -> String {
    let mut shown: Vec<String> = items.iter().map(|p| format!("{prefix}{p}")).collect();
    if unknown > 0 {
        shown.push(format!("+{unknown} unknown ids"));
    }
    format!("[{}] ({} ids)", shown.join(", "), items.len() + unknown)
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CreateUser {
                user,
                name,
                email,
                phone,
            } => {
                write!(f, "u{user} = create user {name:?}")?;
                if let Some(email) = email {
                    write!(f, " <{email}>")?;
                }
                if let Some(phone) = phone {
                    write!(f, " phone {phone}")?;
                }
                Ok(())
            }
            Self::UpdateUser { user, name, email } => {
                write!(f, "update u{user}:")?;
                if let Some(name) = name {
                    write!(f, " name {name:?}")?;
                }
                if let Some(email) = email {
                    write!(f, " email {email}")?;
                }
                if name.is_none() && email.is_none() {
                    write!(f, " nothing")?;
                }
                Ok(())
            }
            Self::AddIdentity { user, email } => write!(f, "add email identity {email} to u{user}"),
            Self::Suspend { user, suspended } => {
                let verb = if *suspended { "suspend" } else { "unsuspend" };
                write!(f, "{verb} u{user}")
            }
            Self::CreateTicket {
                ticket,
                requester,
                status,
                subject,
                body,
            } => {
                write!(f, "t{ticket} = create ticket {subject:?} for u{requester}")?;
                if let Some(status) = status {
                    write!(f, ", status {status}")?;
                }
                write!(f, ", comment {body:?}")
            }
            Self::SetStatus { ticket, status } => write!(f, "set t{ticket} status {status}"),
            Self::AddComment {
                ticket,
                body,
                public,
            } => {
                let kind = if *public { "public" } else { "private" };
                write!(f, "add {kind} comment {body:?} to t{ticket}")
            }
            Self::RedactText {
                ticket,
                comment,
                text,
            } => write!(
                f,
                "redact {text:?} in t{ticket} comment #{comment} (legacy /redact)"
            ),
            Self::RedactMarkup {
                ticket,
                comment,
                text,
            } => write!(
                f,
                "redact {text:?} in t{ticket} comment #{comment} (comment_redactions)"
            ),
            Self::DeleteUser { user } => write!(f, "delete u{user}"),
            Self::PermanentlyDeleteUser { user } => write!(f, "permanently delete u{user}"),
            Self::DestroyManyUsers { users, unknown } => {
                write!(f, "destroy_many users {}", positions('u', users, *unknown))
            }
            Self::DeleteTicket { ticket } => write!(f, "delete t{ticket}"),
            Self::RestoreTicket { ticket } => write!(f, "restore t{ticket}"),
            Self::PermanentlyDeleteTicket { ticket } => write!(f, "permanently delete t{ticket}"),
            Self::DestroyManyTickets { tickets, unknown } => {
                write!(
                    f,
                    "destroy_many tickets {}",
                    positions('t', tickets, *unknown)
                )
            }
            Self::AdvanceClock { days } => write!(f, "advance clock {days} day(s)"),
            Self::ShowUser { user } => write!(f, "show u{user}"),
            Self::ShowDeletedUser { user } => write!(f, "show deleted user u{user}"),
            Self::RequestedTickets { user } => write!(f, "list tickets requested by u{user}"),
            Self::ShowTicket { ticket } => write!(f, "show t{ticket}"),
            Self::SearchUsers { query } => write!(f, "search users {query:?}"),
            Self::ListComments { ticket } => write!(f, "list comments of t{ticket}"),
            Self::SearchTickets { word } => write!(f, "search tickets {word:?}"),
        }
    }
}
