//! Reading tickets: lists, look-ups by ids, a user's requested/ccd/assigned tickets.

use super::account::AccountData;
use super::tickets::Ticket;
use super::{Caller, Id};
use crate::error::{ApiError, ApiResult};

/// How a user relates to a ticket (`/users/{id}/tickets/{relation}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Requested,
    Ccd,
    Assigned,
}

impl Relation {
    pub fn parse(text: &str) -> ApiResult<Self> {
        match text {
            "requested" => Ok(Self::Requested),
            "ccd" => Ok(Self::Ccd),
            "assigned" => Ok(Self::Assigned),
            _ => Err(ApiError::InvalidEndpoint),
        }
    }
}

impl AccountData {
    /// `GET /tickets/{id}`: staff only; soft-deleted tickets are 404.
    pub fn show_ticket(&self, caller: &Caller, id: Id) -> ApiResult<&Ticket> {
        caller.require_staff()?;
        self.active_ticket(id)
    }

    /// `GET /tickets`: active tickets, by id.
    pub fn list_tickets(
        &self,
        caller: &Caller,
        external_id: Option<&str>,
    ) -> ApiResult<Vec<&Ticket>> {
        caller.require_staff()?;
        Ok(self
            .tickets
            .values()
            .filter(|t| t.is_active())
            .filter(|t| external_id.is_none_or(|e| t.external_id.as_deref() == Some(e)))
            .collect())
    }

    /// `GET /tickets/show_many?ids=`: the active tickets found, in the order asked.
    pub fn tickets_by_ids(&self, caller: &Caller, ids: &[Id]) -> ApiResult<Vec<&Ticket>> {
        caller.require_staff()?;
        Ok(ids
            .iter()
            .filter_map(|id| self.tickets.get(id))
            .filter(|t| t.is_active())
            .collect())
    }

    /// `GET /users/{id}/tickets/{relation}`: a user's active tickets, by id.
    pub fn user_tickets(
        &self,
        caller: &Caller,
        user_id: Id,
        relation: Relation,
    ) -> ApiResult<Vec<&Ticket>> {
        caller.require_staff()?;
        self.readable_user(caller, user_id)?;
        Ok(self
            .tickets
            .values()
            .filter(|t| t.is_active())
            .filter(|t| match relation {
                Relation::Requested => t.requester_id == user_id,
                Relation::Ccd => t.collaborator_ids.contains(&user_id),
                Relation::Assigned => t.assignee_id == Some(user_id),
            })
            .collect())
    }

    /// `GET /requests`: the caller's own active tickets.
    pub fn own_requests(&self, caller: &Caller) -> Vec<&Ticket> {
        self.tickets
            .values()
            .filter(|t| t.is_active() && t.requester_id == caller.user_id)
            .collect()
    }

    /// A request the caller may see: their own; staff see any active ticket. Another user's
    /// ticket is 404 to an end user (not visible, facts §2).
    pub fn visible_request(&self, caller: &Caller, id: Id) -> ApiResult<&Ticket> {
        let ticket = self.active_ticket(id)?;
        if caller.role.is_staff() || ticket.requester_id == caller.user_id {
            Ok(ticket)
        } else {
            Err(ApiError::RecordNotFound)
        }
    }
}
