//! Seeding tickets: a ticket with its comments (text or html), attachments, status and
//! deletion, built through the same store operations the API uses, so a seeded ticket is
//! indistinguishable from one made over HTTP.

use super::account::AccountData;
use super::clock::parse_rfc3339;
use super::comments::CommentInput;
use super::seed::SeedDeletion;
use super::tickets::{Status, TicketInput};
use super::{Caller, Id};
use crate::error::{ApiError, ApiResult};
use serde::Deserialize;
use serde_json::{Map, Value};

/// A ticket in a seed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedTicket {
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub subject: Option<String>,
    /// A user `ref` or email.
    pub requester: String,
    /// An agent's `ref` or email; solved and closed tickets default to the account owner.
    pub assignee: Option<String>,
    /// The final status (default `open`).
    pub status: Option<String>,
    pub priority: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// At least one; the first is the description.
    pub comments: Vec<SeedComment>,
    /// `"soft"`: left in the Deleted Tickets view.
    pub deleted: Option<SeedDeletion>,
    /// RFC 3339 creation time.
    pub created_at: Option<String>,
}

/// A comment in a seeded ticket.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedComment {
    /// A user `ref` or email (default: the requester for the first comment, else the owner).
    pub author: Option<String>,
    pub body: Option<String>,
    pub html_body: Option<String>,
    pub public: Option<bool>,
    #[serde(default)]
    pub attachments: Vec<SeedAttachment>,
}

/// An attachment, its content given as text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAttachment {
    pub file_name: String,
    pub content_type: Option<String>,
    pub content: String,
}

impl AccountData {
    /// Creates a seeded ticket: first comment at creation, the rest as updates, the final
    /// status last (a closed ticket takes no more comments).
    pub(crate) fn seed_ticket(
        &mut self,
        owner: &Caller,
        seed: &SeedTicket,
        refs: &Map<String, Value>,
    ) -> ApiResult<Id> {
        let requester = self.seed_user_ref(&seed.requester, refs)?;
        let assignee = seed
            .assignee
            .as_deref()
            .map(|a| self.seed_user_ref(a, refs))
            .transpose()?;
        let status = seed
            .status
            .as_deref()
            .map(Status::parse)
            .transpose()?
            .unwrap_or(Status::Open);
        let Some((first, rest)) = seed.comments.split_first() else {
            return Err(ApiError::invalid_json(
                "Invalid seed: a ticket needs at least one comment",
            ));
        };
        // A seed describes an end state: a user suspended now may hold tickets from before.
        let suspended = std::mem::replace(&mut self.user_mut(requester)?.suspended, false);
        let created =
            self.seed_ticket_body(owner, seed, refs, (requester, assignee), (first, rest));
        self.user_mut(requester)?.suspended = suspended;
        let id = created?;
        if self.active_ticket(id)?.status != status || assignee.is_some() {
            let input = TicketInput {
                status: Some(status.as_str().to_owned()),
                assignee_id: assignee.map(Some),
                ..TicketInput::default()
            };
            self.update_ticket(owner, id, &input)?;
        }
        if let Some(created_at) = &seed.created_at {
            let at = parse_rfc3339(created_at).ok_or_else(|| {
                ApiError::invalid_json(format!("created_at `{created_at}` is not RFC 3339"))
            })?;
            if let Some(ticket) = self.tickets.get_mut(&id) {
                ticket.created_at = at;
            }
        }
        match seed.deleted {
            None => {}
            Some(SeedDeletion::Soft) => self.soft_delete_ticket(owner, id)?,
            Some(SeedDeletion::Permanent) => {
                self.soft_delete_ticket(owner, id)?;
                self.scrub_ticket(id);
            }
        }
        Ok(id)
    }

    fn seed_ticket_body(
        &mut self,
        owner: &Caller,
        seed: &SeedTicket,
        refs: &Map<String, Value>,
        (requester, assignee): (Id, Option<Id>),
        (first, rest): (&SeedComment, &[SeedComment]),
    ) -> ApiResult<Id> {
        let comment = self.seed_comment(owner, first, Some(requester), refs)?;
        let input = TicketInput {
            subject: seed.subject.clone(),
            requester_id: Some(requester),
            assignee_id: assignee.map(Some),
            priority: seed.priority.clone().map(Some),
            tags: Some(seed.tags.clone()),
            comment: Some(comment),
            ..TicketInput::default()
        };
        let (id, _) = self.create_ticket(owner, &input, "api")?;
        for seeded in rest {
            let comment = self.seed_comment(owner, seeded, None, refs)?;
            self.update_ticket(
                owner,
                id,
                &TicketInput {
                    comment: Some(comment),
                    ..TicketInput::default()
                },
            )?;
        }
        Ok(id)
    }

    fn seed_comment(
        &mut self,
        owner: &Caller,
        seed: &SeedComment,
        default_author: Option<Id>,
        refs: &Map<String, Value>,
    ) -> ApiResult<CommentInput> {
        let author = match &seed.author {
            Some(name) => Some(self.seed_user_ref(name, refs)?),
            None => default_author,
        };
        let mut uploads = Vec::new();
        for attachment in &seed.attachments {
            let content_type = attachment.content_type.as_deref().unwrap_or("text/plain");
            let token = self.create_upload(
                owner,
                &attachment.file_name,
                content_type,
                attachment.content.as_bytes().to_vec(),
                None,
            )?;
            uploads.push(token);
        }
        Ok(CommentInput {
            body: seed.body.clone(),
            html_body: seed.html_body.clone(),
            public: seed.public,
            author_id: author,
            uploads,
        })
    }
}
