//! What is compared: each response reduced to its status and key fields, and the account's
//! full listings, with every server id replaced by the entity's position. The model produces
//! the expected values, the target side ([`super::sut`]) the observed ones, in the same types.
//!
//! Where the facts sheet leaves a field open (the email and phone of a soft-deleted user:
//! sources conflict, facts §3.4 and §13.5), the expected value says so with
//! [`Lenient::NullOr`] and [`admits`](Response::admits) accepts either.

use super::state::Pos;
use std::fmt;

/// An expected field value: exactly this, or this or null.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lenient<T> {
    Is(Option<T>),
    /// The value, or null: Zendesk's sources disagree on whether it is kept.
    NullOr(T),
}

impl<T: PartialEq> Lenient<T> {
    /// Does the observed value (always [`Lenient::Is`]) satisfy this expectation?
    fn admits(&self, observed: &Self) -> bool {
        match (self, observed) {
            (Self::Is(a), Self::Is(b)) => a == b,
            (Self::NullOr(a), Self::Is(b)) => b.as_ref().is_none_or(|b| b == a),
            _ => false,
        }
    }
}

impl<T: fmt::Display> fmt::Display for Lenient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Is(Some(v)) => write!(f, "{v}"),
            Self::Is(None) => f.write_str("null"),
            Self::NullOr(v) => write!(f, "{v} or null"),
        }
    }
}

/// An id in a response, as a position: a user, a ticket, or one of the ids the test made up
/// for an entity that does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ref {
    User(Pos),
    Ticket(Pos),
    Unknown(usize),
}

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::User(p) => write!(f, "u{p}"),
            Self::Ticket(p) => write!(f, "t{p}"),
            Self::Unknown(k) => write!(f, "unknown#{k}"),
        }
    }
}

/// `user` (admin view): the privacy-relevant fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserView {
    pub user: Pos,
    pub name: String,
    pub email: Lenient<String>,
    pub phone: Lenient<String>,
    pub active: bool,
    pub suspended: bool,
}

impl UserView {
    fn admits(&self, o: &Self) -> bool {
        self.user == o.user
            && self.name == o.name
            && self.email.admits(&o.email)
            && self.phone.admits(&o.phone)
            && self.active == o.active
            && self.suspended == o.suspended
    }
}

impl fmt::Display for UserView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "u{} {{name {:?}, email {}, phone {}, active {}, suspended {}}}",
            self.user, self.name, self.email, self.phone, self.active, self.suspended
        )
    }
}

/// `deleted_user`: a soft-deleted user, or the "Permanently Deleted User" placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedUserView {
    pub user: Pos,
    pub name: String,
    pub email: Lenient<String>,
    pub phone: Lenient<String>,
    pub active: bool,
}

impl DeletedUserView {
    fn admits(&self, o: &Self) -> bool {
        self.user == o.user
            && self.name == o.name
            && self.email.admits(&o.email)
            && self.phone.admits(&o.phone)
            && self.active == o.active
    }
}

impl fmt::Display for DeletedUserView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "u{} {{name {:?}, email {}, phone {}, active {}}}",
            self.user, self.name, self.email, self.phone, self.active
        )
    }
}

/// `identity`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IdentityView {
    pub kind: String,
    pub value: String,
    pub primary: bool,
}

impl fmt::Display for IdentityView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let primary = if self.primary { " (primary)" } else { "" };
        write!(f, "{} {}{primary}", self.kind, self.value)
    }
}

/// `ticket`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketView {
    pub ticket: Pos,
    pub subject: String,
    pub status: String,
    pub requester: Ref,
    /// The first comment's body, redactions included.
    pub description: String,
}

impl fmt::Display for TicketView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "t{} {{subject {:?}, status {}, requester {}, description {:?}}}",
            self.ticket, self.subject, self.status, self.requester, self.description
        )
    }
}

/// A `deleted_tickets` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedTicketView {
    pub ticket: Pos,
    pub subject: String,
    pub previous_state: String,
}

impl fmt::Display for DeletedTicketView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "t{} {{subject {:?}, previous_state {}}}",
            self.ticket, self.subject, self.previous_state
        )
    }
}

/// `comment`: the three text forms must agree after every redaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentView {
    pub body: String,
    pub plain_body: String,
    pub public: bool,
}

impl fmt::Display for CommentView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let public = if self.public { "public" } else { "private" };
        if self.body == self.plain_body {
            write!(f, "{:?} ({public})", self.body)
        } else {
            write!(
                f,
                "body {:?} / plain_body {:?} ({public})",
                self.body, self.plain_body
            )
        }
    }
}

/// A finished job's results (facts §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobResults {
    /// Bulk jobs: one item per id, in request order.
    Items(Vec<(Ref, bool)>),
    /// The permanent ticket delete: the object `{"success": …}`.
    Single { success: bool },
}

impl fmt::Display for JobResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Items(items) => {
                let failed: Vec<String> = items
                    .iter()
                    .filter(|(_, ok)| !ok)
                    .map(|(r, _)| r.to_string())
                    .collect();
                write!(f, "{} item(s)", items.len())?;
                let done: Vec<String> = items
                    .iter()
                    .filter(|(_, ok)| *ok)
                    .map(|(r, _)| r.to_string())
                    .collect();
                if !done.is_empty() {
                    write!(f, ", done: {}", done.join(" "))?;
                }
                if !failed.is_empty() {
                    write!(f, ", failed: {}", failed.join(" "))?;
                }
                Ok(())
            }
            Self::Single { success } => write!(f, "{{\"success\": {success}}}"),
        }
    }
}

/// One response, reduced to what the model decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    User {
        status: u16,
        user: UserView,
    },
    DeletedUser {
        status: u16,
        user: DeletedUserView,
    },
    Identity {
        status: u16,
        identity: IdentityView,
    },
    Ticket {
        status: u16,
        ticket: TicketView,
    },
    Comment {
        status: u16,
        comment: CommentView,
    },
    Users {
        status: u16,
        users: Vec<UserView>,
    },
    Comments {
        status: u16,
        comments: Vec<CommentView>,
    },
    Tickets {
        status: u16,
        tickets: Vec<TicketView>,
    },
    /// A success without a body worth comparing (204, or 200 `{}`).
    Empty {
        status: u16,
    },
    /// A bulk call or a permanent ticket delete: the status of the call and the `total` of
    /// the job it answers with (the number of ids; null for the single permanent delete,
    /// facts §6), and the job once finished.
    Job {
        status: u16,
        total: Option<u64>,
        job_status: String,
        results: JobResults,
    },
    /// Zendesk's error shape: `error`, and the first key of `details` with its first
    /// description. The model leaves `description` out (None) where Zendesk's wording is not
    /// known.
    Error {
        status: u16,
        error: String,
        field: Option<String>,
        description: Option<String>,
    },
    /// The clock moved (the control API's answer is not Zendesk's and is not compared).
    ClockMoved,
}

impl Response {
    /// The HTTP status, when there is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::User { status, .. }
            | Self::DeletedUser { status, .. }
            | Self::Identity { status, .. }
            | Self::Ticket { status, .. }
            | Self::Comment { status, .. }
            | Self::Users { status, .. }
            | Self::Comments { status, .. }
            | Self::Tickets { status, .. }
            | Self::Empty { status }
            | Self::Job { status, .. }
            | Self::Error { status, .. } => Some(*status),
            Self::ClockMoved => None,
        }
    }

    /// A short label for coverage counts: the status, and for errors the field refused.
    pub fn label(&self) -> String {
        match self {
            Self::Error {
                status,
                field: Some(field),
                ..
            } => format!("{status} {field}"),
            Self::Job {
                results: JobResults::Items(items),
                ..
            } => {
                let ok = items.iter().filter(|(_, ok)| *ok).count();
                if ok == items.len() {
                    "job all done".to_owned()
                } else if ok == 0 {
                    "job all failed".to_owned()
                } else {
                    "job some failed".to_owned()
                }
            }
            Self::ClockMoved => "moved".to_owned(),
            other => other.status().map(|s| s.to_string()).unwrap_or_default(),
        }
    }

    /// Whether `observed` (the target's response) is what this expected response allows.
    pub fn admits(&self, observed: &Self) -> bool {
        match (self, observed) {
            (Self::User { status: s, user: u }, Self::User { status: t, user: v }) => {
                s == t && u.admits(v)
            }
            (
                Self::DeletedUser { status: s, user: u },
                Self::DeletedUser { status: t, user: v },
            ) => s == t && u.admits(v),
            (
                Self::Users {
                    status: s,
                    users: u,
                },
                Self::Users {
                    status: t,
                    users: v,
                },
            ) => s == t && u.len() == v.len() && u.iter().zip(v).all(|(a, b)| a.admits(b)),
            (
                Self::Error {
                    status: s,
                    error: e,
                    field: f,
                    description: d,
                },
                Self::Error {
                    status: t,
                    error: g,
                    field: h,
                    description: c,
                },
            ) => {
                // Descriptions quote the input, whose case the server may or may not keep.
                let lower = |d: &Option<String>| d.as_deref().map(str::to_lowercase);
                s == t && e == g && f == h && (d.is_none() || lower(d) == lower(c))
            }
            (expected, observed) => expected == observed,
        }
    }
}

fn list<T: fmt::Display>(items: &[T]) -> String {
    if items.is_empty() {
        return "[]".to_owned();
    }
    let shown: Vec<String> = items.iter().map(ToString::to_string).collect();
    format!("[{}]", shown.join(", "))
}

impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::User { status, user } => write!(f, "{status} user {user}"),
            Self::DeletedUser { status, user } => write!(f, "{status} deleted_user {user}"),
            Self::Identity { status, identity } => write!(f, "{status} identity {identity}"),
            Self::Ticket { status, ticket } => write!(f, "{status} ticket {ticket}"),
            Self::Comment { status, comment } => write!(f, "{status} comment {comment}"),
            Self::Users { status, users } => write!(f, "{status} users {}", list(users)),
            Self::Comments { status, comments } => {
                write!(f, "{status} comments {}", list(comments))
            }
            Self::Tickets { status, tickets } => write!(f, "{status} tickets {}", list(tickets)),
            Self::Empty { status } => write!(f, "{status}"),
            Self::Job {
                status,
                total,
                job_status,
                results,
            } => {
                let total = total.map_or_else(|| "null".to_owned(), |t| t.to_string());
                write!(f, "{status} job (total {total}) {job_status}: {results}")
            }
            Self::Error {
                status,
                error,
                field,
                description,
            } => {
                write!(f, "{status} {error}")?;
                if let Some(field) = field {
                    write!(f, " on `{field}`")?;
                }
                if let Some(description) = description {
                    write!(f, ": {description:?}")?;
                }
                Ok(())
            }
            Self::ClockMoved => f.write_str("clock moved"),
        }
    }
}

/// Everything the account holds at the end of a sequence, by position: the four listings the
/// issue names, plus each active user's identities and each live ticket's comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// `GET /users`.
    pub users: Vec<UserView>,
    /// `GET /deleted_users`.
    pub deleted_users: Vec<DeletedUserView>,
    /// `GET /tickets`.
    pub tickets: Vec<TicketView>,
    /// `GET /deleted_tickets`.
    pub deleted_tickets: Vec<DeletedTicketView>,
    /// `GET /users/{id}/identities` of each listed user, sorted.
    pub identities: Vec<(Pos, Vec<IdentityView>)>,
    /// `GET /tickets/{id}/comments` of each listed ticket, oldest first.
    pub comments: Vec<(Pos, Vec<CommentView>)>,
}

impl Listing {
    /// Sorts every list by position, so that listing order (which the model does not decide)
    /// never matters.
    pub fn sorted(mut self) -> Self {
        self.users.sort_by_key(|u| u.user);
        self.deleted_users.sort_by_key(|u| u.user);
        self.tickets.sort_by_key(|t| t.ticket);
        self.deleted_tickets.sort_by_key(|t| t.ticket);
        for (_, identities) in &mut self.identities {
            identities.sort();
        }
        self.identities.sort_by_key(|(p, _)| *p);
        self.comments.sort_by_key(|(p, _)| *p);
        self
    }

    /// Where `observed` differs from this expected listing, one line per difference; empty
    /// when they agree.
    pub fn differences(&self, observed: &Self) -> Vec<String> {
        let mut out = Vec::new();
        diff(
            "users",
            &self.users,
            &observed.users,
            |u| u.user,
            UserView::admits,
            &mut out,
        );
        diff(
            "deleted_users",
            &self.deleted_users,
            &observed.deleted_users,
            |u| u.user,
            DeletedUserView::admits,
            &mut out,
        );
        diff(
            "tickets",
            &self.tickets,
            &observed.tickets,
            |t| t.ticket,
            PartialEq::eq,
            &mut out,
        );
        diff(
            "deleted_tickets",
            &self.deleted_tickets,
            &observed.deleted_tickets,
            |t| t.ticket,
            PartialEq::eq,
            &mut out,
        );
        let identities = |items: &[(Pos, Vec<IdentityView>)]| -> Vec<Keyed> {
            items
                .iter()
                .map(|(p, ids)| Keyed(*p, format!("u{p} identities {}", list(ids))))
                .collect()
        };
        diff(
            "identities",
            &identities(&self.identities),
            &identities(&observed.identities),
            |k| k.0,
            PartialEq::eq,
            &mut out,
        );
        let comments = |items: &[(Pos, Vec<CommentView>)]| -> Vec<Keyed> {
            items
                .iter()
                .map(|(p, cs)| Keyed(*p, format!("t{p} comments {}", list(cs))))
                .collect()
        };
        diff(
            "comments",
            &comments(&self.comments),
            &comments(&observed.comments),
            |k| k.0,
            PartialEq::eq,
            &mut out,
        );
        out
    }
}

/// A line of text keyed by position, for diffs of nested lists.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Keyed(Pos, String);

impl fmt::Display for Keyed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.1)
    }
}

/// Compares two position-sorted lists item by item, keyed by position.
fn diff<T: fmt::Display>(
    what: &str,
    expected: &[T],
    observed: &[T],
    key: impl Fn(&T) -> Pos,
    admits: impl Fn(&T, &T) -> bool,
    out: &mut Vec<String>,
) {
    for e in expected {
        match observed.iter().find(|o| key(o) == key(e)) {
            None => out.push(format!("{what}: missing {e}")),
            Some(o) if !admits(e, o) => {
                out.push(format!("{what}: expected {e}\n    target has {o}"));
            }
            Some(_) => {}
        }
    }
    for o in observed {
        if !expected.iter().any(|e| key(e) == key(o)) {
            out.push(format!("{what}: unexpected {o}"));
        }
    }
}
