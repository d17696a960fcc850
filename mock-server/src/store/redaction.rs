//! Redaction, all three ways (facts §5.3–5.5). Each redacted character becomes one ▇, in
//! `body`, `html_body` and `plain_body` alike — and, since audits refer to comments rather than
//! copy them, in the audit trail too.
//!
//! | call | closed tickets | INFERRED where undocumented |
//! | --- | --- | --- |
//! | `PUT /tickets/{t}/comments/{c}/redact {"text"}` (legacy) | 422 "Status: closed prevents ticket update" | text empty or absent: 422 on `text`; case-sensitive match |
//! | `PUT /comment_redactions/{c}` (`<redact>` markup, `external_attachment_urls`) | allowed | markup over other text: 422 on `html_body` |
//! | `PUT /tickets/{t}/comments/{c}/attachments/{a}/redact` | 422 | — |

use super::account::AccountData;
use super::attachments::Attachment;
use super::comment_text::{plain_from_html, redact_html, redact_text};
use super::events::Event;
use super::redact_markup;
use super::tickets::{Status, closed_prevents_update};
use super::{Caller, Id};
use crate::error::{ApiError, ApiResult};

impl AccountData {
    /// Legacy string redaction: every occurrence of `text` in the comment becomes ▇s.
    pub fn redact_comment_text(
        &mut self,
        caller: &Caller,
        ticket_id: Id,
        comment_id: Id,
        text: &str,
    ) -> ApiResult<()> {
        self.require_ticket_deleter(caller)?;
        let refuses_closed = self.keeps(super::BrokenRule::LegacyRedactionRefusesClosed);
        if self.active_ticket(ticket_id)?.status == Status::Closed && refuses_closed {
            return Err(closed_prevents_update());
        }
        let comment = self.ticket_comment(ticket_id, comment_id)?;
        if text.is_empty() {
            return Err(ApiError::record_invalid("text", "Text: cannot be blank"));
        }
        let (body, in_body) = redact_text(&comment.body, text);
        let blocks = self.keeps(super::BrokenRule::RedactionBlocks);
        let body = if blocks {
            body
        } else {
            body.replace('\u{2587}', "*")
        };
        let (html_body, in_html) = redact_html(&comment.html_body, text);
        if in_body + in_html == 0 {
            return Err(ApiError::record_invalid(
                "text",
                "Text: was not found in the comment",
            ));
        }
        let comment = self
            .comments
            .get_mut(&comment_id)
            .ok_or(ApiError::RecordNotFound)?;
        comment.html_body = html_body;
        // Zendesk keeps body and html in step: a match only the html shows (across markup)
        // must not survive in the body.
        comment.body = if in_body > 0 {
            body
        } else {
            plain_from_html(&comment.html_body)
        };
        let now = self.now();
        self.events.push(
            now,
            Event::CommentRedacted {
                ticket_id,
                comment_id,
            },
        );
        self.touch_ticket(ticket_id, now);
        Ok(())
    }

    /// `comment_redactions`: `<redact>` markup in `html_body`, and attachments named by their
    /// content URL. Works on closed tickets too. Returns the ticket id.
    pub fn redact_comment_markup(
        &mut self,
        caller: &Caller,
        ticket_id: Id,
        comment_id: Id,
        html_body: Option<&str>,
        attachment_urls: &[String],
    ) -> ApiResult<()> {
        self.require_ticket_deleter(caller)?;
        self.active_ticket(ticket_id)?;
        let comment = self.ticket_comment(ticket_id, comment_id)?;
        let applied = html_body
            .map(|submitted| redact_markup::apply(&comment.html_body, submitted))
            .transpose()?;
        let mut attachment_ids = Vec::new();
        for url in attachment_urls {
            let found = comment.attachment_ids.iter().copied().find(|id| {
                self.attachments
                    .get(id)
                    .is_some_and(|a| url.contains(&format!("/attachments/token/{}/", a.token)))
            });
            let id = found.ok_or_else(|| {
                ApiError::record_invalid(
                    "external_attachment_urls",
                    format!("External attachment urls: {url} is not an attachment of this comment"),
                )
            })?;
            attachment_ids.push(id);
        }
        let now = self.now();
        if let Some(applied) = applied {
            let comment = self
                .comments
                .get_mut(&comment_id)
                .ok_or(ApiError::RecordNotFound)?;
            comment.body = plain_from_html(&applied.html);
            comment.html_body = applied.html;
            self.events.push(
                now,
                Event::CommentRedacted {
                    ticket_id,
                    comment_id,
                },
            );
            self.touch_ticket(ticket_id, now);
        }
        for id in attachment_ids {
            self.blank_attachment(id);
            self.events.push(
                now,
                Event::AttachmentRedacted {
                    ticket_id,
                    attachment_id: id,
                },
            );
            self.touch_ticket(ticket_id, now);
        }
        Ok(())
    }

    /// Attachment redaction: the file becomes an empty `redacted.txt`. Returns the attachment as
    /// it was — the live response still shows the original metadata (recorded, facts §5.5).
    pub fn redact_attachment(
        &mut self,
        caller: &Caller,
        ticket_id: Id,
        comment_id: Id,
        attachment_id: Id,
    ) -> ApiResult<Attachment> {
        self.require_ticket_deleter(caller)?;
        if self.active_ticket(ticket_id)?.status == Status::Closed {
            return Err(closed_prevents_update());
        }
        let comment = self.ticket_comment(ticket_id, comment_id)?;
        if !comment.attachment_ids.contains(&attachment_id) {
            return Err(ApiError::RecordNotFound);
        }
        let before = self
            .attachments
            .get(&attachment_id)
            .cloned()
            .ok_or(ApiError::RecordNotFound)?;
        self.blank_attachment(attachment_id);
        let now = self.now();
        self.events.push(
            now,
            Event::AttachmentRedacted {
                ticket_id,
                attachment_id,
            },
        );
        self.touch_ticket(ticket_id, now);
        Ok(before)
    }

    fn blank_attachment(&mut self, id: Id) {
        if let Some(attachment) = self.attachments.get_mut(&id) {
            "redacted.txt".clone_into(&mut attachment.file_name);
            "text/plain".clone_into(&mut attachment.content_type);
            attachment.content.clear();
        }
    }
}
