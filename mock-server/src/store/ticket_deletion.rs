//! Soft and permanent ticket deletion (facts §4.3). A soft-deleted ticket is 404 on show and
//! listed in `/deleted_tickets` until restored or permanently deleted; a permanent delete takes
//! its comments, attachments and audits with it and leaves only an anonymous record (id,
//! dates, previous status) "for reporting purposes" (Zendesk's guide), visible through the
//! control API.

use super::account::AccountData;
use super::clock::Timestamp;
use super::events::Event;
use super::tickets::{Status, Ticket, TicketState};
use super::users::Role;
use super::{Caller, Id};
use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};

/// What remains of a permanently deleted ticket: nothing personal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketRecord {
    pub id: Id,
    pub created_at: Timestamp,
    pub deleted_at: Timestamp,
    pub previous_status: Status,
}

impl AccountData {
    /// Admins may delete tickets; agents when the account lets them ("Agents can delete
    /// tickets"). The same permission governs redaction (facts §5.3–5.5).
    pub fn require_ticket_deleter(&self, caller: &Caller) -> ApiResult<()> {
        match caller.role {
            Role::Admin => Ok(()),
            Role::Agent if self.settings.agents_can_delete_tickets => Ok(()),
            _ => Err(ApiError::Forbidden),
        }
    }

    /// `DELETE /tickets/{id}`: moves the ticket to the Deleted Tickets view.
    pub fn soft_delete_ticket(&mut self, caller: &Caller, id: Id) -> ApiResult<()> {
        self.require_ticket_deleter(caller)?;
        self.active_ticket(id)?;
        let now = self.now();
        if let Some(ticket) = self.tickets.get_mut(&id) {
            ticket.state = TicketState::SoftDeleted {
                at: now,
                actor_id: caller.user_id,
            };
        }
        self.events
            .push(now, Event::TicketSoftDeleted { ticket_id: id });
        Ok(())
    }

    /// `PUT /deleted_tickets/{id}/restore`: back to the ticket it was, status included.
    pub fn restore_ticket(&mut self, caller: &Caller, id: Id) -> ApiResult<()> {
        self.require_ticket_deleter(caller)?;
        self.soft_deleted_ticket(id)?;
        let now = self.now();
        if let Some(ticket) = self.tickets.get_mut(&id) {
            ticket.state = TicketState::Active;
        }
        self.events
            .push(now, Event::TicketRestored { ticket_id: id });
        self.touch_ticket(id, now);
        Ok(())
    }

    /// `PUT /deleted_tickets/restore_many`: all or nothing — one id that is not a deleted ticket
    /// makes it 404 and restores none (INFERRED).
    pub fn restore_tickets(&mut self, caller: &Caller, ids: &[Id]) -> ApiResult<()> {
        self.require_ticket_deleter(caller)?;
        for id in ids {
            self.soft_deleted_ticket(*id)?;
        }
        ids.iter()
            .try_for_each(|id| self.restore_ticket(caller, *id))
    }

    /// `GET /deleted_tickets`: soft-deleted tickets, oldest first.
    pub fn deleted_tickets(&self, caller: &Caller) -> ApiResult<Vec<&Ticket>> {
        caller.require_staff()?;
        Ok(self.tickets.values().filter(|t| !t.is_active()).collect())
    }

    /// A ticket in the Deleted Tickets view; anything else is 404 — including a ticket already
    /// permanently deleted, whose restore answers 404 (recorded).
    pub fn soft_deleted_ticket(&self, id: Id) -> ApiResult<&Ticket> {
        self.tickets
            .get(&id)
            .filter(|t| !t.is_active())
            .ok_or(ApiError::RecordNotFound)
    }

    /// The permanent delete itself (run by the job of `DELETE /deleted_tickets/{id}`, and by
    /// the 30-day scrub): the ticket, its comments, attachments and audits are removed.
    pub fn permanently_delete_ticket(&mut self, caller: &Caller, id: Id) -> ApiResult<()> {
        self.require_ticket_deleter(caller)?;
        self.soft_deleted_ticket(id)?;
        self.scrub_ticket(id);
        Ok(())
    }

    pub(crate) fn scrub_ticket(&mut self, id: Id) {
        let Some(ticket) = self.tickets.remove(&id) else {
            return;
        };
        let now = self.now();
        for comment_id in &ticket.comment_ids {
            self.comments.remove(comment_id);
        }
        self.attachments.retain(|_, a| a.ticket_id != Some(id));
        self.audits.retain(|_, a| a.ticket_id != id);
        self.ticket_records.push(TicketRecord {
            id,
            created_at: ticket.created_at,
            deleted_at: now,
            previous_status: ticket.status,
        });
        self.events
            .push(now, Event::TicketPermanentlyDeleted { ticket_id: id });
    }

    /// Records of permanently deleted tickets (control API).
    pub fn ticket_records(&self) -> &[TicketRecord] {
        &self.ticket_records
    }
}
