//! Ticket comments and audits (facts §5.1–5.2). Comments are created only through a ticket
//! create or update. An audit's `Comment` event refers to the comment rather than copying it,
//! so a redaction reaches the audit trail by construction.

use super::account::AccountData;
use super::clock::Timestamp;
use super::comment_text::{html_from_body, plain_from_html};
use super::events::Event;
use super::tickets::{AUDITED_FIELDS, Status, closed_prevents_update};
use super::users::lenient_bool;
use super::{Caller, Id};
use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::borrow::Cow;

/// A ticket holds at most this many comments (facts §5.1).
pub const MAX_COMMENTS: usize = 5_000;

/// `ticket.comment` as clients send it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CommentInput {
    pub body: Option<String>,
    pub html_body: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub public: Option<bool>,
    pub author_id: Option<Id>,
    /// Upload tokens whose attachments join the comment.
    #[serde(default)]
    pub uploads: Vec<String>,
}

impl CommentInput {
    /// A comment needs text: `body` or `html_body`.
    pub fn check(&self) -> ApiResult<()> {
        let has = |t: &Option<String>| t.as_deref().is_some_and(|t| !t.trim().is_empty());
        if has(&self.body) || has(&self.html_body) {
            Ok(())
        } else {
            Err(ApiError::record_invalid(
                "comment",
                "Comment: cannot be blank",
            ))
        }
    }
}

/// A comment. `plain_body` is derived from `html_body` when rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comment {
    pub id: Id,
    pub ticket_id: Id,
    pub author_id: Id,
    pub body: String,
    pub html_body: String,
    pub public: bool,
    pub attachment_ids: Vec<Id>,
    pub audit_id: Id,
    pub created_at: Timestamp,
    pub channel: String,
}

impl Comment {
    pub fn plain_body(&self) -> String {
        plain_from_html(&self.html_body)
    }
}

/// One event of an audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum AuditEvent {
    Comment {
        comment_id: Id,
    },
    Create {
        #[serde(deserialize_with = "field_name")]
        field: FieldName,
        value: Value,
    },
    /// Boxed, so that every event is as small as a `Create`: creating a ticket records ten of
    /// those, an update only the fields it changed.
    Change(Box<Change>),
}

/// A field an update changed (same JSON as a struct variant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    #[serde(deserialize_with = "field_name")]
    pub field: FieldName,
    pub value: Value,
    pub previous_value: Value,
}

/// An audited field's name: one of [`AUDITED_FIELDS`], held without an allocation (creating a
/// ticket records ten of them), or any other as its own string.
pub type FieldName = Cow<'static, str>;

/// A field name read back (from a snapshot), held as [`FieldName`] holds the ones written.
fn field_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<FieldName, D::Error> {
    let name = String::deserialize(deserializer)?;
    Ok(match AUDITED_FIELDS.iter().find(|known| **known == name) {
        Some(known) => Cow::Borrowed(*known),
        None => Cow::Owned(name),
    })
}

/// An audit: what one update did to a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audit {
    pub id: Id,
    pub ticket_id: Id,
    pub author_id: Id,
    pub created_at: Timestamp,
    /// (event id, event)
    pub events: Vec<(Id, AuditEvent)>,
}

impl AccountData {
    /// Everything `add_comment` would refuse, checked before a ticket is written: text, the
    /// upload tokens, and room on the ticket.
    pub(crate) fn check_new_comment(
        &self,
        ticket_id: Option<Id>,
        input: &CommentInput,
    ) -> ApiResult<()> {
        input.check()?;
        self.check_uploads(&input.uploads)?;
        let count = ticket_id
            .and_then(|id| self.tickets.get(&id))
            .map_or(0, |t| t.comment_ids.len());
        if count >= MAX_COMMENTS {
            return Err(ApiError::record_invalid(
                "comment",
                format!("Comment: a ticket may have at most {MAX_COMMENTS} comments"),
            ));
        }
        Ok(())
    }

    /// Adds a comment (and its uploads' attachments) to a ticket; returns its audit event.
    pub(crate) fn add_comment(
        &mut self,
        ticket_id: Id,
        audit_id: Id,
        author_id: Id,
        input: &CommentInput,
        first: bool,
    ) -> ApiResult<AuditEvent> {
        input.check()?;
        let count = self
            .tickets
            .get(&ticket_id)
            .map_or(0, |t| t.comment_ids.len());
        if count >= MAX_COMMENTS {
            return Err(ApiError::record_invalid(
                "comment",
                format!("Comment: a ticket may have at most {MAX_COMMENTS} comments"),
            ));
        }
        let (body, html_body) = match (&input.html_body, &input.body) {
            (Some(html), _) if !html.trim().is_empty() => (plain_from_html(html), html.clone()),
            (_, Some(body)) => (body.clone(), html_from_body(body)),
            _ => (String::new(), html_from_body("")),
        };
        let id = self.ids.next_id();
        let attachment_ids = self.claim_uploads(&input.uploads, ticket_id, id)?;
        let now = self.now();
        let channel = self
            .tickets
            .get(&ticket_id)
            .map_or_else(|| "api".to_owned(), |t| t.channel.clone());
        self.comments.insert(
            id,
            Comment {
                id,
                ticket_id,
                author_id,
                body,
                html_body,
                // The first comment of a ticket is always public (it is the description).
                public: first || input.public.unwrap_or(true),
                attachment_ids,
                audit_id,
                created_at: now,
                channel,
            },
        );
        if let Some(ticket) = self.tickets.get_mut(&ticket_id) {
            ticket.comment_ids.push(id);
        }
        self.events.push(
            now,
            Event::CommentAdded {
                ticket_id,
                comment_id: id,
            },
        );
        Ok(AuditEvent::Comment { comment_id: id })
    }

    /// Stores an audit, giving each event its id.
    pub(crate) fn record_audit(
        &mut self,
        audit_id: Id,
        ticket_id: Id,
        author_id: Id,
        events: Vec<AuditEvent>,
    ) {
        // A Comment event has the comment's own id: on Zendesk, comments are audit events.
        let events = events
            .into_iter()
            .map(|e| match e {
                AuditEvent::Comment { comment_id } => (comment_id, e),
                other => (self.ids.next_id(), other),
            })
            .collect();
        let created_at = self.now();
        self.audits.insert(
            audit_id,
            Audit {
                id: audit_id,
                ticket_id,
                author_id,
                created_at,
                events,
            },
        );
    }

    /// `GET /tickets/{id}/comments`: oldest first.
    pub fn comments_of(&self, caller: &Caller, ticket_id: Id) -> ApiResult<Vec<&Comment>> {
        caller.require_staff()?;
        let ticket = self.active_ticket(ticket_id)?;
        Ok(ticket
            .comment_ids
            .iter()
            .filter_map(|id| self.comments.get(id))
            .collect())
    }

    /// An audit by id, for views.
    pub fn audit(&self, id: Id) -> Option<&Audit> {
        self.audits.get(&id)
    }

    /// A comment by id, for views.
    pub fn comment(&self, id: Id) -> Option<&Comment> {
        self.comments.get(&id)
    }

    /// A comment of a ticket (404 if it belongs to another ticket).
    pub fn ticket_comment(&self, ticket_id: Id, comment_id: Id) -> ApiResult<&Comment> {
        self.comments
            .get(&comment_id)
            .filter(|c| c.ticket_id == ticket_id)
            .ok_or(ApiError::RecordNotFound)
    }

    /// `GET /tickets/{id}/audits`: oldest first.
    pub fn audits_of(&self, caller: &Caller, ticket_id: Id) -> ApiResult<Vec<&Audit>> {
        caller.require_staff()?;
        self.active_ticket(ticket_id)?;
        Ok(self
            .audits
            .values()
            .filter(|a| a.ticket_id == ticket_id)
            .collect())
    }

    /// `PUT /tickets/{t}/comments/{c}/make_private`. A closed ticket refuses it like any update.
    pub fn make_comment_private(
        &mut self,
        caller: &Caller,
        ticket_id: Id,
        comment_id: Id,
    ) -> ApiResult<()> {
        caller.require_staff()?;
        if self.active_ticket(ticket_id)?.status == Status::Closed {
            return Err(closed_prevents_update());
        }
        self.ticket_comment(ticket_id, comment_id)?;
        if let Some(comment) = self.comments.get_mut(&comment_id) {
            comment.public = false;
        }
        let now = self.now();
        self.events.push(
            now,
            Event::CommentMadePrivate {
                ticket_id,
                comment_id,
            },
        );
        Ok(())
    }
}
