//! Redaction, three ways (facts §5.3–5.5):
//! <https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/#redact-string-in-comment>,
//! <https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/#redact-ticket-comment-in-agent-workspace>,
//! <https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-attachments/#redact-comment-attachment>.

use crate::error::{ApiError, ApiResult};
use crate::http::AppState;
use crate::http::context::Authed;
use crate::http::extract::{Body, Ids};
use crate::http::respond::ok;
use crate::store::Id;
use crate::views;
use axum::Router;
use axum::response::Response;
use axum::routing::put;
use serde::Deserialize;
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v2/tickets/{id}/comments/{comment_id}/redact",
            put(redact_string_in_comment),
        )
        .route(
            "/api/v2/comment_redactions/{comment_id}",
            put(redact_comment_in_agent_workspace),
        )
        .route(
            "/api/v2/tickets/{id}/comments/{comment_id}/attachments/{attachment_id}/redact",
            put(redact_comment_attachment),
        )
}

#[derive(Debug, Deserialize)]
struct TextBody {
    text: Option<String>,
}

#[derive(Debug, Deserialize)]
struct MarkupBody {
    ticket_id: Option<Id>,
    html_body: Option<String>,
    #[serde(default)]
    external_attachment_urls: Vec<String>,
}

fn comment_json(authed: &Authed, ticket_id: Id, comment_id: Id) -> ApiResult<serde_json::Value> {
    authed.account.read(|data| {
        let comment = data.ticket_comment(ticket_id, comment_id)?;
        Ok(json!({"comment": views::comments::comment_core(data, comment, &authed.origin)}))
    })
}

/// PUT /api/v2/tickets/{id}/comments/{comment_id}/redact — Redact String in Comment (legacy).
async fn redact_string_in_comment(
    authed: Authed,
    Ids([id, comment_id]): Ids<2>,
    Body(body): Body<TextBody>,
) -> ApiResult<Response> {
    let text = body.text.unwrap_or_default();
    authed
        .account
        .write(|data| data.redact_comment_text(&authed.caller, id, comment_id, &text))?;
    comment_json(&authed, id, comment_id).map(ok)
}

/// PUT /api/v2/comment_redactions/{comment_id} — Redact Ticket Comment In Agent Workspace.
/// `ticket_id` is required; works on closed tickets.
async fn redact_comment_in_agent_workspace(
    authed: Authed,
    Ids([comment_id]): Ids<1>,
    Body(body): Body<MarkupBody>,
) -> ApiResult<Response> {
    let ticket_id = body
        .ticket_id
        .ok_or_else(|| ApiError::parameter_missing("ticket_id"))?;
    authed.account.write(|data| {
        data.redact_comment_markup(
            &authed.caller,
            ticket_id,
            comment_id,
            body.html_body.as_deref(),
            &body.external_attachment_urls,
        )
    })?;
    comment_json(&authed, ticket_id, comment_id).map(ok)
}

/// PUT /api/v2/tickets/{id}/comments/{comment_id}/attachments/{attachment_id}/redact — Redact
/// Comment Attachment: the file becomes an empty `redacted.txt`; the response shows the
/// attachment as it was, as the live API does (recorded, facts §5.5).
async fn redact_comment_attachment(
    authed: Authed,
    Ids([id, comment_id, attachment_id]): Ids<3>,
) -> ApiResult<Response> {
    let before = authed
        .account
        .write(|data| data.redact_attachment(&authed.caller, id, comment_id, attachment_id))?;
    Ok(ok(
        json!({"attachment": views::comments::attachment(&before, &authed.origin)}),
    ))
}
