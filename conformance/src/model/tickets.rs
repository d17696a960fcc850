//! The rules for tickets, comments, redaction and ticket deletion, written from the facts
//! sheet (§2, §4, §5) and design.md's decisions.

use super::state::{Comment, DAY, Model, Pos, Status, Ticket, TicketState};
use super::users::{MAX_BULK_IDS, invalid, not_found, too_many_values};
use super::views::{CommentView, DeletedTicketView, JobResults, Ref, Response, TicketView};

/// U+2587: each redacted character becomes one (facts §5.3).
pub const BLOCK: char = '▇';

/// The recorded 422 for any update of a closed ticket (facts §2).
fn closed_prevents_update() -> Response {
    invalid(
        "status",
        Some("Status: closed prevents ticket update".to_owned()),
    )
}

/// Every occurrence of `needle` in `text` (left to right, not overlapping) with each of its
/// characters replaced by ▇; and how many there were.
pub fn redact(text: &str, needle: &str) -> (String, usize) {
    if needle.is_empty() {
        return (text.to_owned(), 0);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut count = 0;
    while let Some(at) = rest.find(needle) {
        out.push_str(&rest[..at]);
        out.extend(std::iter::repeat_n(BLOCK, needle.chars().count()));
        rest = &rest[at + needle.len()..];
        count += 1;
    }
    out.push_str(rest);
    (out, count)
}

impl Model {
    pub fn ticket_view(&self, ticket: Pos) -> TicketView {
        let t = &self.tickets[ticket];
        TicketView {
            ticket,
            subject: t.subject.clone(),
            status: t.status.as_str().to_owned(),
            requester: Ref::User(t.requester),
            description: t
                .comments
                .first()
                .map(|c| c.body.clone())
                .unwrap_or_default(),
        }
    }

    pub fn deleted_ticket_view(&self, ticket: Pos) -> DeletedTicketView {
        let t = &self.tickets[ticket];
        DeletedTicketView {
            ticket,
            subject: t.subject.clone(),
            previous_state: t.status.as_str().to_owned(),
        }
    }

    pub fn comment_views(&self, ticket: Pos) -> Vec<CommentView> {
        self.tickets[ticket]
            .comments
            .iter()
            .map(comment_view)
            .collect()
    }

    /// `POST /tickets` with `requester_id`, a first comment and maybe a status: 201. The
    /// requester must be an active user (INFERRED: a deleted user cannot be named, 422 on
    /// `requester`); a suspended one is 422 "Requester: <name> is suspended." (facts §2,
    /// recorded). Status defaults to `new`; `closed` is accepted on create (facts §4.2,
    /// fides). A ticket created solved or closed counts as solved now.
    pub(super) fn create_ticket(
        &mut self,
        requester: Pos,
        status: Option<Status>,
        subject: &str,
        body: &str,
    ) -> Response {
        let r = &self.users[requester];
        if !r.is_active() {
            return invalid("requester", None);
        }
        if r.suspended {
            return invalid(
                "requester",
                Some(format!("Requester: {} is suspended.", r.name)),
            );
        }
        let status = status.unwrap_or(Status::New);
        self.tickets.push(Ticket {
            subject: subject.to_owned(),
            status,
            requester,
            state: TicketState::Active,
            solved_at: matches!(status, Status::Solved | Status::Closed).then_some(self.now),
            comments: vec![Comment {
                body: body.to_owned(),
                public: true,
            }],
        });
        Response::Ticket {
            status: 201,
            ticket: self.ticket_view(self.tickets.len() - 1),
        }
    }

    /// A live ticket that may still be updated: 404 when deleted (a soft-deleted ticket is 404
    /// on every ticket call, facts §4.2 RB-live), 422 when closed.
    fn updatable(&self, ticket: Pos) -> Result<(), Response> {
        let t = &self.tickets[ticket];
        if !t.is_active() {
            return Err(not_found());
        }
        if t.status == Status::Closed {
            return Err(closed_prevents_update());
        }
        Ok(())
    }

    /// `PUT /tickets/{id} {"ticket":{"status"}}`. Becoming solved starts the automation's
    /// count of days.
    pub(super) fn set_status(&mut self, ticket: Pos, status: Status) -> Response {
        if let Err(refused) = self.updatable(ticket) {
            return refused;
        }
        let now = self.now;
        let t = &mut self.tickets[ticket];
        if status == Status::Solved && t.status != Status::Solved {
            t.solved_at = Some(now);
        }
        t.status = status;
        Response::Ticket {
            status: 200,
            ticket: self.ticket_view(ticket),
        }
    }

    /// `PUT /tickets/{id} {"ticket":{"comment":{"body","public"}}}` (facts §5.1: comments are
    /// added only through a ticket update).
    pub(super) fn add_comment(&mut self, ticket: Pos, body: &str, public: bool) -> Response {
        if let Err(refused) = self.updatable(ticket) {
            return refused;
        }
        self.tickets[ticket].comments.push(Comment {
            body: body.to_owned(),
            public,
        });
        Response::Ticket {
            status: 200,
            ticket: self.ticket_view(ticket),
        }
    }

    /// Legacy `PUT /tickets/{t}/comments/{c}/redact {"text"}` (facts §5.3, design.md): a
    /// closed ticket is 422 "Status: closed prevents ticket update"; an empty text, or one the
    /// comment does not hold, is 422 on `text`; otherwise every occurrence becomes ▇s.
    pub(super) fn redact_text(&mut self, ticket: Pos, comment: usize, text: &str) -> Response {
        if let Err(refused) = self.updatable(ticket) {
            return refused;
        }
        let c = &mut self.tickets[ticket].comments[comment];
        let (body, hits) = redact(&c.body, text);
        if hits == 0 {
            return invalid("text", None);
        }
        c.body = body;
        Response::Comment {
            status: 200,
            comment: comment_view(c),
        }
    }

    /// `PUT /comment_redactions/{c}` with the occurrences of `text` marked: works on closed
    /// tickets too (facts §5.4); a deleted ticket is 404. Marking nothing changes nothing.
    pub(super) fn redact_markup(&mut self, ticket: Pos, comment: usize, text: &str) -> Response {
        if !self.tickets[ticket].is_active() {
            return not_found();
        }
        let c = &mut self.tickets[ticket].comments[comment];
        c.body = redact(&c.body, text).0;
        Response::Comment {
            status: 200,
            comment: comment_view(c),
        }
    }

    /// `DELETE /tickets/{id}`: 204, into the Deleted Tickets view (facts §4.2–4.3).
    pub(super) fn delete_ticket(&mut self, ticket: Pos) -> Response {
        if !self.tickets[ticket].is_active() {
            return not_found();
        }
        self.tickets[ticket].state = TicketState::SoftDeleted { at: self.now };
        Response::Empty { status: 204 }
    }

    /// `PUT /deleted_tickets/{id}/restore`: 200 `{}`, the ticket back with its status (facts
    /// §4.3, recorded); 404 unless soft-deleted. A solved ticket whose days ran out while it
    /// was deleted closes as the automation next runs, which the comparison waits for.
    pub(super) fn restore_ticket(&mut self, ticket: Pos) -> Response {
        if !matches!(self.tickets[ticket].state, TicketState::SoftDeleted { .. }) {
            return not_found();
        }
        let due = self.rules.solved_to_closed_days * DAY;
        let now = self.now;
        let t = &mut self.tickets[ticket];
        t.state = TicketState::Active;
        if t.status == Status::Solved && t.solved_at.is_some_and(|at| at + due <= now) {
            t.status = Status::Closed;
        }
        Response::Empty { status: 200 }
    }

    /// `DELETE /deleted_tickets/{id}`: only a soft-deleted ticket (404 otherwise); 200 with a
    /// job whose result is the object `{"success":true}` (facts §4.3, recorded).
    pub(super) fn permanently_delete_ticket(&mut self, ticket: Pos) -> Response {
        if !matches!(self.tickets[ticket].state, TicketState::SoftDeleted { .. }) {
            return not_found();
        }
        self.tickets[ticket].state = TicketState::Deleted;
        Response::Job {
            status: 200,
            total: None,
            job_status: "completed".to_owned(),
            results: JobResults::Single { success: true },
        }
    }

    /// `DELETE /tickets/destroy_many?ids=`: more than 100 ids is 400 TooManyValues; otherwise
    /// a job soft-deleting each live ticket. An id that names no live ticket is a failed item
    /// and the rest still run (INFERRED, as documented for deleted_tickets/destroy_many).
    pub(super) fn destroy_many_tickets(&mut self, tickets: &[Pos], unknown: usize) -> Response {
        if tickets.len() + unknown > MAX_BULK_IDS {
            return too_many_values();
        }
        let mut items: Vec<(Ref, bool)> = tickets
            .iter()
            .map(|&t| {
                let ok = self.delete_ticket(t) == Response::Empty { status: 204 };
                (Ref::Ticket(t), ok)
            })
            .collect();
        items.extend((0..unknown).map(|k| (Ref::Unknown(k), false)));
        Response::Job {
            status: 200,
            total: Some((tickets.len() + unknown) as u64),
            job_status: "completed".to_owned(),
            results: JobResults::Items(items),
        }
    }

    /// `GET /tickets/{id}`: a soft-deleted ticket is 404 (facts §4.2, RB-live).
    pub(super) fn show_ticket(&self, ticket: Pos) -> Response {
        if !self.tickets[ticket].is_active() {
            return not_found();
        }
        Response::Ticket {
            status: 200,
            ticket: self.ticket_view(ticket),
        }
    }

    /// `GET /tickets/{id}/comments`: oldest first (facts §5.2).
    pub(super) fn list_comments(&self, ticket: Pos) -> Response {
        if !self.tickets[ticket].is_active() {
            return not_found();
        }
        Response::Comments {
            status: 200,
            comments: self.comment_views(ticket),
        }
    }

    /// `GET /search?query=type:ticket <word>`: live tickets with a word in the subject or a
    /// comment that begins with `word` — whole words and prefixes, never infixes, any case
    /// (facts §7, HC search reference). A word is a run of letters and digits, so `987-65-4320`
    /// is three words and a redacted ▇ is none. Soft-deleted tickets leave search (INFERRED).
    pub(super) fn search_tickets(&self, word: &str) -> Response {
        let wanted = word.to_lowercase();
        let has_word = |text: &str| {
            text.split(|c: char| !c.is_alphanumeric())
                .any(|w| !w.is_empty() && w.to_lowercase().starts_with(&wanted))
        };
        let tickets = (0..self.tickets.len())
            .filter(|&t| self.tickets[t].is_active())
            .filter(|&t| {
                let ticket = &self.tickets[t];
                has_word(&ticket.subject) || ticket.comments.iter().any(|c| has_word(&c.body))
            })
            .map(|t| self.ticket_view(t))
            .collect();
        Response::Tickets {
            status: 200,
            tickets,
        }
    }
}

/// A comment's text forms: bodies here are plain text, so `plain_body` is the body itself.
fn comment_view(c: &Comment) -> CommentView {
    CommentView {
        body: c.body.clone(),
        plain_body: c.body.clone(),
        public: c.public,
    }
}
