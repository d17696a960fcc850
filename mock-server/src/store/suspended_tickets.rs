//! Suspended tickets (facts §3.6): what a suspended user submits does not become a ticket but
//! waits in the suspended-tickets queue, where an agent recovers or deletes it. This is the
//! "objection / restriction of processing" workflow of Zendesk's privacy guide.

use super::account::AccountData;
use super::clock::Timestamp;
use super::comments::CommentInput;
use super::events::Event;
use super::identities::IdentityType;
use super::tickets::{RequesterInput, TicketInput};
use super::{Caller, Id};
use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};

/// Zendesk's documented suspension cause for mail from a suspended user.
pub const CAUSE_SUSPENDED_USER: &str = "Received from suspended user";

/// A submission held in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuspendedTicket {
    pub id: Id,
    pub author_id: Option<Id>,
    pub author_name: String,
    pub author_email: String,
    pub subject: Option<String>,
    pub content: String,
    pub cause: String,
    pub channel: String,
    pub message_id: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What an inbound submission (email, web request) became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitted {
    Ticket(Id),
    Suspended(Id),
}

/// An inbound submission: who sent it and what it says.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    pub name: Option<String>,
    pub email: String,
    pub subject: Option<String>,
    pub body: String,
}

impl AccountData {
    /// A submission from outside (inbound email, an end user's web request): a ticket for the
    /// sender — created as an end user if unknown — or, when the sender is suspended, a
    /// suspended ticket.
    pub fn submit(&mut self, submission: &Submission, channel: &str) -> ApiResult<Submitted> {
        let sender = self.active_user_by_identity(IdentityType::Email, &submission.email);
        if let Some(user) = sender
            .and_then(|id| self.users.get(&id))
            .filter(|u| u.suspended)
        {
            let (author_id, author_name) = (user.id, user.name.clone());
            let now = self.now();
            let id = self.ids.next_id();
            self.suspended_tickets.insert(
                id,
                SuspendedTicket {
                    id,
                    author_id: Some(author_id),
                    author_name,
                    author_email: submission.email.trim().to_lowercase(),
                    subject: submission.subject.clone(),
                    content: submission.body.clone(),
                    cause: CAUSE_SUSPENDED_USER.to_owned(),
                    channel: channel.to_owned(),
                    message_id: format!("<{id}@{}.mock>", self.subdomain),
                    created_at: now,
                    updated_at: now,
                },
            );
            self.events.push(
                now,
                Event::TicketSuspended {
                    suspended_ticket_id: id,
                    author_id,
                },
            );
            return Ok(Submitted::Suspended(id));
        }
        let owner = self
            .caller_for(self.owner_id)
            .ok_or(ApiError::RecordNotFound)?;
        let requester = RequesterInput::Person {
            name: submission.name.clone(),
            email: Some(submission.email.clone()),
            locale_id: None,
        };
        let input = TicketInput {
            subject: submission.subject.clone(),
            requester: Some(requester),
            comment: Some(CommentInput {
                body: Some(submission.body.clone()),
                ..CommentInput::default()
            }),
            ..TicketInput::default()
        };
        let (ticket_id, _) = self.create_ticket(&owner, &input, channel)?;
        // The sender wrote it: the submitter and the comment's author are the requester.
        if let Some(ticket) = self.tickets.get_mut(&ticket_id) {
            ticket.submitter_id = ticket.requester_id;
            let requester = ticket.requester_id;
            if let Some(comment) = ticket
                .comment_ids
                .first()
                .and_then(|c| self.comments.get_mut(c))
            {
                comment.author_id = requester;
            }
        }
        Ok(Submitted::Ticket(ticket_id))
    }

    /// `GET /suspended_tickets`: oldest first.
    pub fn suspended_tickets(&self, caller: &Caller) -> ApiResult<Vec<&SuspendedTicket>> {
        caller.require_staff()?;
        Ok(self.suspended_tickets.values().collect())
    }

    pub fn suspended_ticket(&self, caller: &Caller, id: Id) -> ApiResult<&SuspendedTicket> {
        caller.require_staff()?;
        self.suspended_tickets
            .get(&id)
            .ok_or(ApiError::RecordNotFound)
    }

    /// `PUT /suspended_tickets/{id}/recover`: a ticket whose requester is the calling agent
    /// (as documented for the single recover), with the held content as its first comment.
    pub fn recover_suspended_ticket(&mut self, caller: &Caller, id: Id) -> ApiResult<Id> {
        self.recover(caller, id, false)
    }

    /// `PUT /suspended_tickets/recover_many`: each keeps its original requester, so one whose
    /// author is still suspended fails. All ids must exist; returns (recovered, failed) lists.
    pub fn recover_suspended_tickets(
        &mut self,
        caller: &Caller,
        ids: &[Id],
    ) -> ApiResult<(Vec<Id>, Vec<Id>)> {
        caller.require_staff()?;
        for id in ids {
            self.suspended_ticket(caller, *id)?;
        }
        let (mut recovered, mut failed) = (Vec::new(), Vec::new());
        for id in ids {
            match self.recover(caller, *id, true) {
                Ok(ticket) => recovered.push(ticket),
                Err(_) => failed.push(*id),
            }
        }
        Ok((recovered, failed))
    }

    fn recover(&mut self, caller: &Caller, id: Id, keep_requester: bool) -> ApiResult<Id> {
        let held = self.suspended_ticket(caller, id)?.clone();
        let requester_id = match (keep_requester, held.author_id) {
            (true, Some(author)) => author,
            _ => caller.user_id,
        };
        let input = TicketInput {
            subject: held.subject.clone(),
            requester_id: Some(requester_id),
            comment: Some(CommentInput {
                body: Some(held.content.clone()),
                author_id: Some(requester_id),
                ..CommentInput::default()
            }),
            ..TicketInput::default()
        };
        let (ticket_id, _) = self.create_ticket(caller, &input, &held.channel)?;
        self.suspended_tickets.remove(&id);
        let now = self.now();
        self.events.push(
            now,
            Event::SuspendedTicketRecovered {
                suspended_ticket_id: id,
                ticket_id,
            },
        );
        Ok(ticket_id)
    }

    /// `DELETE /suspended_tickets/destroy_many`: all ids must exist, else 404 and nothing is
    /// deleted (INFERRED).
    pub fn delete_suspended_tickets(&mut self, caller: &Caller, ids: &[Id]) -> ApiResult<()> {
        for id in ids {
            self.suspended_ticket(caller, *id)?;
        }
        ids.iter()
            .try_for_each(|id| self.delete_suspended_ticket(caller, *id))
    }

    /// `DELETE /suspended_tickets/{id}`.
    pub fn delete_suspended_ticket(&mut self, caller: &Caller, id: Id) -> ApiResult<()> {
        self.suspended_ticket(caller, id)?;
        self.suspended_tickets.remove(&id);
        let now = self.now();
        self.events.push(
            now,
            Event::SuspendedTicketDeleted {
                suspended_ticket_id: id,
            },
        );
        Ok(())
    }
}
