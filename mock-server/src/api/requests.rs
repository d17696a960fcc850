//! Requests — <https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-requests/>:
//! tickets as their requesters see them. The path an end user uses to submit a ticket, and to
//! read their own tickets (access requests). A suspended sender's request lands in the
//! suspended-tickets queue.

use crate::error::{ApiError, ApiResult};
use crate::http::AppState;
use crate::http::context::{Authed, Viewer};
use crate::http::extract::{Body, Ids, Params};
use crate::http::pagination::Style;
use crate::http::respond::{created, ok};
use crate::store::suspended_tickets::{Submission, Submitted};
use crate::views;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/requests", get(list_requests).post(create_request))
        .route("/api/v2/requests/{id}", get(show_request))
        .route("/api/v2/requests/{id}/comments", get(list_request_comments))
}

#[derive(Debug, Deserialize)]
struct RequestBody {
    request: Option<RequestInput>,
}

#[derive(Debug, Deserialize)]
struct RequestInput {
    subject: Option<String>,
    comment: Option<RequestComment>,
    requester: Option<Requester>,
}

#[derive(Debug, Deserialize)]
struct RequestComment {
    body: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Requester {
    name: Option<String>,
    email: Option<String>,
}

/// POST /api/v2/requests — Create Request: 201 `{"request":{...}}`. Anonymous callers name the
/// requester (`request.requester`); signed-in callers are the requester. When the sender is
/// suspended the answer is 201 `{"suspended_ticket":{...}}` (INFERRED: Zendesk accepts the
/// submission and holds it; what it answers is not documented).
async fn create_request(viewer: Viewer, Body(body): Body<RequestBody>) -> ApiResult<Response> {
    let request = body
        .request
        .ok_or_else(|| ApiError::parameter_missing("request"))?;
    let account = viewer
        .account
        .clone()
        .ok_or(ApiError::CouldNotAuthenticate)?;
    let text = request
        .comment
        .and_then(|c| c.body)
        .filter(|b| !b.trim().is_empty());
    let text = text
        .ok_or_else(|| ApiError::record_invalid("description", "Description: cannot be blank"))?;
    account.write(|data| {
        let (name, email) = match &viewer.caller {
            Some(caller) => {
                let user = data.user(caller.user_id)?;
                (Some(user.name.clone()), data.primary_email(user.id).map(str::to_owned))
            }
            None => {
                let requester = request.requester.as_ref();
                (requester.and_then(|r| r.name.clone()), requester.and_then(|r| r.email.clone()))
            }
        };
        let email = email.ok_or_else(|| ApiError::record_invalid("requester", "Requester: email is required"))?;
        let submission = Submission { name, email, subject: request.subject.clone(), body: text.clone() };
        match data.submit(&submission, "web")? {
            Submitted::Ticket(id) => {
                let ticket = data.active_ticket(id)?;
                let location = views::api_url(&viewer.origin, &format!("requests/{id}"));
                Ok(created(json!({"request": views::tickets::request(data, ticket, &viewer.origin)}), &location))
            }
            Submitted::Suspended(id) => {
                let held = data.suspended_ticket(&data.caller_for(data.owner_id).ok_or(ApiError::RecordNotFound)?, id)?;
                let location = views::api_url(&viewer.origin, &format!("suspended_tickets/{id}"));
                Ok(created(json!({"suspended_ticket": views::tickets::suspended_ticket(data, held, &viewer.origin)}), &location))
            }
        }
    })
}

/// GET /api/v2/requests — List Requests: the caller's own tickets.
async fn list_requests(authed: Authed, params: Params) -> ApiResult<Response> {
    authed.account.read(|data| {
        let tickets = data.own_requests(&authed.caller);
        let body = authed.id_page(
            &params,
            Style::Both,
            "requests",
            tickets,
            |t| t.id,
            |t| views::tickets::request(data, t, &authed.origin),
        )?;
        Ok(ok(body))
    })
}

/// GET /api/v2/requests/{id} — Show Request.
async fn show_request(authed: Authed, Ids([id]): Ids<1>) -> ApiResult<Response> {
    authed.account.read(|data| {
        let ticket = data.visible_request(&authed.caller, id)?;
        Ok(ok(
            json!({"request": views::tickets::request(data, ticket, &authed.origin)}),
        ))
    })
}

/// GET /api/v2/requests/{id}/comments — List Comments of a request: public comments only.
async fn list_request_comments(authed: Authed, Ids([id]): Ids<1>) -> ApiResult<Response> {
    authed.account.read(|data| {
        let ticket = data.visible_request(&authed.caller, id)?;
        let comments: Vec<Value> = ticket
            .comment_ids
            .iter()
            .filter_map(|c| data.comment(*c))
            .filter(|c| c.public)
            .map(|c| views::comments::comment(data, c, &authed.origin))
            .collect();
        Ok(ok(json!({"comments": comments, "next_page": null, "previous_page": null, "count": comments.len()})))
    })
}
