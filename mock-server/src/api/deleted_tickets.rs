//! Deleted Tickets — <https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#list-deleted-tickets>
//! (facts §4.3): restore, and permanent deletion as a job.

use crate::error::{ApiError, ApiResult};
use crate::http::AppState;
use crate::http::context::Authed;
use crate::http::extract::{Ids, Params};
use crate::http::pagination::Style;
use crate::http::respond::ok;
use crate::store::AccountData;
use crate::store::jobs::JobWork;
use crate::views;
use axum::Router;
use axum::response::Response;
use axum::routing::{delete, get, put};
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/deleted_tickets", get(list_deleted_tickets))
        .route(
            "/api/v2/deleted_tickets/restore_many",
            put(restore_many_deleted_tickets),
        )
        .route(
            "/api/v2/deleted_tickets/destroy_many",
            delete(destroy_many_deleted_tickets),
        )
        .route(
            "/api/v2/deleted_tickets/{id}",
            delete(delete_ticket_permanently),
        )
        .route(
            "/api/v2/deleted_tickets/{id}/restore",
            put(restore_deleted_ticket),
        )
}

/// GET /api/v2/deleted_tickets — List Deleted Tickets (cursor or offset), oldest first.
async fn list_deleted_tickets(authed: Authed, params: Params) -> ApiResult<Response> {
    authed.account.read(|data| {
        let tickets = data.deleted_tickets(&authed.caller)?;
        let body = authed.id_page(
            &params,
            Style::Both,
            "deleted_tickets",
            tickets,
            |t| t.id,
            |t| views::tickets::deleted_ticket(data, t),
        )?;
        Ok(ok(body))
    })
}

/// PUT /api/v2/deleted_tickets/{id}/restore — Restore a Previously Deleted Ticket: 200 `{}`.
async fn restore_deleted_ticket(authed: Authed, Ids([id]): Ids<1>) -> ApiResult<Response> {
    authed
        .account
        .write(|data| data.restore_ticket(&authed.caller, id))?;
    Ok(ok(json!({})))
}

/// PUT /api/v2/deleted_tickets/restore_many — Restore Previously Deleted Tickets in Bulk (≤ 100).
/// All or nothing: one id that is not a deleted ticket makes it 404 (INFERRED).
async fn restore_many_deleted_tickets(authed: Authed, params: Params) -> ApiResult<Response> {
    let ids = params
        .id_list("ids")?
        .ok_or_else(|| ApiError::parameter_missing("ids"))?;
    authed
        .account
        .write(|data| data.restore_tickets(&authed.caller, &ids))?;
    Ok(ok(json!({})))
}

/// Checks a ticket can be permanently deleted now, so the job's refusal is not its only answer.
fn check_deletable(data: &AccountData, authed: &Authed, id: i64) -> ApiResult<()> {
    data.require_ticket_deleter(&authed.caller)?;
    data.soft_deleted_ticket(id).map(|_| ())
}

/// DELETE /api/v2/deleted_tickets/{id} — Delete Ticket Permanently: 200 with a queued job whose
/// result is `{"success":true}`. A ticket not in the Deleted Tickets view is 404.
async fn delete_ticket_permanently(authed: Authed, Ids([id]): Ids<1>) -> ApiResult<Response> {
    authed
        .account
        .read(|data| check_deletable(data, &authed, id))?;
    super::users::enqueue(&authed, JobWork::PermanentlyDeleteTicket(id))
}

/// DELETE /api/v2/deleted_tickets/destroy_many — Delete Multiple Tickets Permanently: a job;
/// ids that are not deleted tickets fail, the rest are deleted.
async fn destroy_many_deleted_tickets(authed: Authed, params: Params) -> ApiResult<Response> {
    let ids = params
        .id_list("ids")?
        .ok_or_else(|| ApiError::parameter_missing("ids"))?;
    authed
        .account
        .read(|data| data.require_ticket_deleter(&authed.caller))?;
    super::users::enqueue(&authed, JobWork::PermanentlyDeleteTickets(ids))
}
