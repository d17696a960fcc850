//! Suspended Tickets — <https://developer.zendesk.com/api-reference/ticketing/tickets/suspended_tickets/>
//! (facts §3.6).

use crate::error::{ApiError, ApiResult};
use crate::http::AppState;
use crate::http::context::Authed;
use crate::http::extract::{Ids, Params};
use crate::http::pagination::Style;
use crate::http::respond::ok;
use crate::views;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, put};
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/suspended_tickets", get(list_suspended_tickets))
        .route(
            "/api/v2/suspended_tickets/recover_many",
            put(recover_suspended_tickets),
        )
        .route(
            "/api/v2/suspended_tickets/destroy_many",
            delete(delete_suspended_tickets),
        )
        .route(
            "/api/v2/suspended_tickets/{id}",
            get(show_suspended_ticket).delete(delete_suspended_ticket),
        )
        .route(
            "/api/v2/suspended_tickets/{id}/recover",
            put(recover_suspended_ticket),
        )
}

/// The ids of a bulk call. recover_many answers 422 above 100 (facts §3.6); destroy_many the
/// usual 400 TooManyValues.
fn bulk_ids(params: &Params, over_limit_is_422: bool) -> ApiResult<Vec<i64>> {
    match params.id_list("ids") {
        Err(ApiError::TooManyValues { .. }) if over_limit_is_422 => Err(ApiError::record_invalid(
            "ids",
            "Ids: cannot specify more than 100 values",
        )),
        other => other?.ok_or_else(|| ApiError::parameter_missing("ids")),
    }
}

/// GET /api/v2/suspended_tickets — List Suspended Tickets (cursor or offset).
async fn list_suspended_tickets(authed: Authed, params: Params) -> ApiResult<Response> {
    authed.account.read(|data| {
        let held = data.suspended_tickets(&authed.caller)?;
        let body = authed.id_page(
            &params,
            Style::Both,
            "suspended_tickets",
            held,
            |t| t.id,
            |t| views::tickets::suspended_ticket(data, t, &authed.origin),
        )?;
        Ok(ok(body))
    })
}

/// GET /api/v2/suspended_tickets/{id} — Show Suspended Ticket.
async fn show_suspended_ticket(authed: Authed, Ids([id]): Ids<1>) -> ApiResult<Response> {
    authed.account.read(|data| {
        let held = data.suspended_ticket(&authed.caller, id)?;
        Ok(ok(
            json!({"suspended_ticket": views::tickets::suspended_ticket(data, held, &authed.origin)}),
        ))
    })
}

/// PUT /api/v2/suspended_tickets/{id}/recover — Recover Suspended Ticket: the calling agent
/// becomes the requester; 200 with the new ticket.
async fn recover_suspended_ticket(authed: Authed, Ids([id]): Ids<1>) -> ApiResult<Response> {
    authed.account.write(|data| {
        let ticket_id = data.recover_suspended_ticket(&authed.caller, id)?;
        let ticket = data.active_ticket(ticket_id)?;
        Ok(ok(
            json!({"ticket": views::tickets::ticket(data, ticket, &authed.origin).to_value()}),
        ))
    })
}

/// PUT /api/v2/suspended_tickets/recover_many — Recover Multiple Suspended Tickets (≤ 100):
/// the original requesters stay. Failures (a still-suspended author) answer 422 with the
/// `suspended_tickets` that could not be recovered (facts §3.6).
async fn recover_suspended_tickets(authed: Authed, params: Params) -> ApiResult<Response> {
    let ids = bulk_ids(&params, true)?;
    authed.account.write(|data| {
        // Kept to show the failures: a recovered suspended ticket leaves the queue.
        let held: Vec<_> = ids
            .iter()
            .filter_map(|id| data.suspended_ticket(&authed.caller, *id).ok().cloned())
            .collect();
        let (recovered, failed) = data.recover_suspended_tickets(&authed.caller, &ids)?;
        let tickets: Vec<_> = recovered
            .iter()
            .filter_map(|id| data.active_ticket(*id).ok())
            .map(|t| views::tickets::ticket(data, t, &authed.origin).to_value())
            .collect();
        if failed.is_empty() {
            return Ok(ok(json!({"tickets": tickets})));
        }
        let failed: Vec<_> = held
            .iter()
            .filter(|h| failed.contains(&h.id))
            .map(|h| views::tickets::suspended_ticket(data, h, &authed.origin))
            .collect();
        let body = json!({"tickets": tickets, "suspended_tickets": failed});
        Ok((StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response())
    })
}

/// DELETE /api/v2/suspended_tickets/{id} — Delete Suspended Ticket: 204.
async fn delete_suspended_ticket(authed: Authed, Ids([id]): Ids<1>) -> ApiResult<Response> {
    authed
        .account
        .write(|data| data.delete_suspended_ticket(&authed.caller, id))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// DELETE /api/v2/suspended_tickets/destroy_many — Delete Multiple Suspended Tickets (≤ 100,
/// suspended-ticket ids): 204; all ids must exist (INFERRED).
async fn delete_suspended_tickets(authed: Authed, params: Params) -> ApiResult<Response> {
    let ids = bulk_ids(&params, false)?;
    authed
        .account
        .write(|data| data.delete_suspended_tickets(&authed.caller, &ids))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
