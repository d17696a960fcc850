//! The model as a whole: a step in, the expected response out ([`Model::apply`]); and the
//! listings the account should show at any point ([`Model::listing`]).

use super::ops::Step;
use super::state::{Model, TicketState, UserState};
use super::views::{Listing, Response};

impl Model {
    /// Runs `step` on the model and returns the response the target must give.
    pub fn apply(&mut self, step: &Step) -> Response {
        match step {
            Step::CreateUser {
                name, email, phone, ..
            } => self.create_user(name, email.as_deref(), phone.as_deref()),
            Step::UpdateUser { user, name, email } => {
                self.update_user(*user, name.as_deref(), email.as_deref())
            }
            Step::AddIdentity { user, email } => self.add_email_identity(*user, email),
            Step::Suspend { user, suspended } => self.suspend(*user, *suspended),
            Step::CreateTicket {
                requester,
                status,
                subject,
                body,
                ..
            } => self.create_ticket(*requester, *status, subject, body),
            Step::SetStatus { ticket, status } => self.set_status(*ticket, *status),
            Step::AddComment {
                ticket,
                body,
                public,
            } => self.add_comment(*ticket, body, *public),
            Step::RedactText {
                ticket,
                comment,
                text,
            } => self.redact_text(*ticket, *comment, text),
            Step::RedactMarkup {
                ticket,
                comment,
                text,
            } => self.redact_markup(*ticket, *comment, text),
            Step::DeleteUser { user } => self.delete_user(*user),
            Step::PermanentlyDeleteUser { user } => self.permanently_delete_user(*user),
            Step::DestroyManyUsers { users, unknown } => self.destroy_many_users(users, *unknown),
            Step::DeleteTicket { ticket } => self.delete_ticket(*ticket),
            Step::RestoreTicket { ticket } => self.restore_ticket(*ticket),
            Step::PermanentlyDeleteTicket { ticket } => self.permanently_delete_ticket(*ticket),
            Step::DestroyManyTickets { tickets, unknown } => {
                self.destroy_many_tickets(tickets, *unknown)
            }
            Step::AdvanceClock { days } => self.advance(*days),
            Step::ShowUser { user } => self.show_user(*user),
            Step::ShowDeletedUser { user } => self.show_deleted_user(*user),
            Step::RequestedTickets { user } => self.requested_tickets(*user),
            Step::ShowTicket { ticket } => self.show_ticket(*ticket),
            Step::SearchUsers { query } => self.search_users(query),
            Step::SearchTickets { word } => self.search_tickets(word),
            Step::ListComments { ticket } => self.list_comments(*ticket),
        }
    }

    /// The account's listings now: active users in `/users` (deleted users move to
    /// `/deleted_users`, which keeps the permanently deleted placeholders, facts §3.4); live
    /// tickets in `/tickets`; soft-deleted, not yet scrubbed tickets in `/deleted_tickets`
    /// (facts §4.3); identities of listed users; comments of listed tickets.
    pub fn listing(&self) -> Listing {
        let users = 0..self.users.len();
        let tickets = 0..self.tickets.len();
        let active_users: Vec<usize> = users
            .clone()
            .filter(|&p| self.users[p].is_active())
            .collect();
        let live_tickets: Vec<usize> = tickets
            .clone()
            .filter(|&t| self.tickets[t].is_active())
            .collect();
        Listing {
            users: active_users.iter().map(|&p| self.user_view(p)).collect(),
            deleted_users: users
                .filter(|&p| self.users[p].state != UserState::Active)
                .map(|p| self.deleted_user_view(p))
                .collect(),
            tickets: live_tickets.iter().map(|&t| self.ticket_view(t)).collect(),
            deleted_tickets: tickets
                .filter(|&t| matches!(self.tickets[t].state, TicketState::SoftDeleted { .. }))
                .map(|t| self.deleted_ticket_view(t))
                .collect(),
            identities: active_users
                .iter()
                .map(|&p| (p, self.identity_views(p)))
                .collect(),
            comments: live_tickets
                .iter()
                .map(|&t| (t, self.comment_views(t)))
                .collect(),
        }
        .sorted()
    }
}
