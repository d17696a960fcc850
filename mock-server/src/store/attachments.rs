//! Uploads and attachments (facts §5.1, §5.5): `POST /uploads` stores bytes under an upload
//! token; a comment that names the token takes its attachments. Attachment *content* is never
//! searchable — Zendesk's guide says so, and it is why PII in an attachment can only be erased
//! by redacting the attachment or deleting the ticket.

use super::account::{AccountData, splitmix64};
use super::clock::Timestamp;
use super::events::Event;
use super::{Caller, Id};
use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};

/// Upload tokens stay usable for three days (INFERRED from recorded `expires_at` values).
const UPLOAD_LIFETIME: i64 = 3 * 24 * 3600;

/// An attachment and its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub id: Id,
    pub file_name: String,
    pub content_type: String,
    /// Base64 in a snapshot.
    #[serde(with = "super::snapshot::base64_bytes")]
    pub content: Vec<u8>,
    pub inline: bool,
    /// The token in `content_url`.
    pub token: String,
    pub ticket_id: Option<Id>,
    pub comment_id: Option<Id>,
    pub created_at: Timestamp,
}

/// An upload: attachments waiting for a comment to claim them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upload {
    pub token: String,
    pub attachment_ids: Vec<Id>,
    pub expires_at: Timestamp,
}

impl AccountData {
    /// `POST /uploads?filename=`: stores the bytes; with `token`, adds to that upload.
    pub fn create_upload(
        &mut self,
        caller: &Caller,
        file_name: &str,
        content_type: &str,
        content: Vec<u8>,
        token: Option<&str>,
    ) -> ApiResult<String> {
        let _ = caller;
        if file_name.trim().is_empty() {
            return Err(ApiError::record_invalid(
                "filename",
                "Filename: cannot be blank",
            ));
        }
        if let Some(existing) = token
            && !self.uploads.contains_key(existing)
        {
            return Err(ApiError::RecordNotFound);
        }
        let now = self.now();
        let id = self.ids.next_id();
        let attachment = Attachment {
            id,
            file_name: file_name.to_owned(),
            content_type: content_type.to_owned(),
            content,
            inline: false,
            token: self.token_for(id),
            ticket_id: None,
            comment_id: None,
            created_at: now,
        };
        self.attachments.insert(id, attachment);
        let token = match token {
            Some(existing) => {
                let upload = self
                    .uploads
                    .get_mut(existing)
                    .ok_or(ApiError::RecordNotFound)?;
                upload.attachment_ids.push(id);
                existing.to_owned()
            }
            None => {
                let token = self.token_for(id ^ 0x5555);
                self.uploads.insert(
                    token.clone(),
                    Upload {
                        token: token.clone(),
                        attachment_ids: vec![id],
                        expires_at: now + UPLOAD_LIFETIME,
                    },
                );
                token
            }
        };
        self.events
            .push(now, Event::AttachmentUploaded { attachment_id: id });
        Ok(token)
    }

    /// `DELETE /uploads/{token}`: drops an unclaimed upload and its bytes.
    pub fn delete_upload(&mut self, token: &str) -> ApiResult<()> {
        let upload = self.uploads.remove(token).ok_or(ApiError::RecordNotFound)?;
        for id in upload.attachment_ids {
            self.attachments.remove(&id);
        }
        Ok(())
    }

    pub fn upload(&self, token: &str) -> ApiResult<&Upload> {
        self.uploads.get(token).ok_or(ApiError::RecordNotFound)
    }

    /// Every token names a live upload; else a 422 (INFERRED wording). Checked before a ticket
    /// is written, so a refused comment leaves nothing behind.
    pub(crate) fn check_uploads(&self, tokens: &[String]) -> ApiResult<()> {
        let now = self.now();
        match tokens
            .iter()
            .find(|t| self.uploads.get(*t).is_none_or(|u| u.expires_at < now))
        {
            Some(token) => Err(ApiError::record_invalid(
                "uploads",
                format!("Uploads: {token} is not a valid upload token"),
            )),
            None => Ok(()),
        }
    }

    /// Moves the attachments of the named uploads onto a comment. An unknown or expired token
    /// is a 422 (INFERRED wording).
    pub(crate) fn claim_uploads(
        &mut self,
        tokens: &[String],
        ticket_id: Id,
        comment_id: Id,
    ) -> ApiResult<Vec<Id>> {
        self.check_uploads(tokens)?;
        let mut claimed = Vec::new();
        for token in tokens {
            let Some(upload) = self.uploads.remove(token) else {
                continue;
            };
            for id in upload.attachment_ids {
                if let Some(attachment) = self.attachments.get_mut(&id) {
                    attachment.ticket_id = Some(ticket_id);
                    attachment.comment_id = Some(comment_id);
                    claimed.push(id);
                }
            }
        }
        Ok(claimed)
    }

    /// `GET /attachments/{id}`.
    pub fn attachment(&self, caller: &Caller, id: Id) -> ApiResult<&Attachment> {
        caller.require_staff()?;
        self.attachments.get(&id).ok_or(ApiError::RecordNotFound)
    }

    /// An attachment by id, for views.
    pub fn attachment_record(&self, id: Id) -> Option<&Attachment> {
        self.attachments.get(&id)
    }

    /// The attachment a content URL names.
    pub fn attachment_by_token(&self, token: &str) -> ApiResult<&Attachment> {
        self.attachments
            .values()
            .find(|a| a.token == token)
            .ok_or(ApiError::RecordNotFound)
    }

    /// An opaque token derived from an id: unguessable enough for a mock, and deterministic.
    fn token_for(&self, id: Id) -> String {
        let a = splitmix64(self.ids.salt() ^ id as u64);
        format!("{a:016x}{:08x}", splitmix64(a) as u32)
    }
}
