//! Incremental Exports — <https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/>
//! (facts §8): tickets and users changed since a time, by cursor or by time. The rules (which
//! items, where pages end, the last minute, `start_time` checks) are in
//! [`crate::store::incremental`]; the 10 requests a minute (and the sample's 10 per 20
//! minutes) in [`crate::store::rate_limits`].
//!
//! Input errors, all INFERRED in body (the error kind follows the recorded "Too recent
//! start_time" answer): no `start_time` (and no `cursor`) is 400 InvalidValue — live Zendesk
//! answers 400 (PostHog#27630, fixed by PostHog#37480 "the tickets endpoint requires a
//! start_time param"); a `start_time` that is not a whole number of seconds since the epoch, and
//! a cursor that is not one of ours, are 400 InvalidValue too; a `per_page` that is not a
//! positive integer is the mock's usual 400 InvalidPaginationParameter, and above 1000 it is
//! clamped. A `cursor` wins over a `start_time` sent with it.

use crate::error::ApiResult;
use crate::http::AppState;
use crate::http::context::Authed;
use crate::http::extract::Params;
use crate::http::respond::{list, ok};
use crate::store::incremental::{
    ExportPage, ExportRequest, MAX_PER_PAGE, Paging, Position, SAMPLE_SIZE, Start, invalid_value,
};
use crate::views;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use serde_json::{Map, Value, json};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/incremental/tickets", get(export_tickets_by_time))
        .route(
            "/api/v2/incremental/tickets/cursor",
            get(export_tickets_by_cursor),
        )
        .route("/api/v2/incremental/tickets/sample", get(sample_tickets))
        .route("/api/v2/incremental/users", get(export_users_by_time))
        .route(
            "/api/v2/incremental/users/cursor",
            get(export_users_by_cursor),
        )
        .route("/api/v2/incremental/users/sample", get(sample_users))
}

/// GET /api/v2/incremental/tickets — Incremental Ticket Export, Time Based.
async fn export_tickets_by_time(authed: Authed, params: Params) -> ApiResult<Response> {
    tickets(&authed, &params, Paging::Time, MAX_PER_PAGE)
}

/// GET /api/v2/incremental/tickets/cursor — Incremental Ticket Export, Cursor Based.
async fn export_tickets_by_cursor(authed: Authed, params: Params) -> ApiResult<Response> {
    tickets(&authed, &params, Paging::Cursor, MAX_PER_PAGE)
}

/// GET /api/v2/incremental/tickets/sample — Incremental Sample Export (tickets, at most 50).
async fn sample_tickets(authed: Authed, params: Params) -> ApiResult<Response> {
    tickets(&authed, &params, Paging::Time, SAMPLE_SIZE)
}

/// GET /api/v2/incremental/users — Incremental User Export, Time Based.
async fn export_users_by_time(authed: Authed, params: Params) -> ApiResult<Response> {
    users(&authed, &params, Paging::Time, MAX_PER_PAGE)
}

/// GET /api/v2/incremental/users/cursor — Incremental User Export, Cursor Based.
async fn export_users_by_cursor(authed: Authed, params: Params) -> ApiResult<Response> {
    users(&authed, &params, Paging::Cursor, MAX_PER_PAGE)
}

/// GET /api/v2/incremental/users/sample — Incremental Sample Export (users, at most 50).
async fn sample_users(authed: Authed, params: Params) -> ApiResult<Response> {
    users(&authed, &params, Paging::Time, SAMPLE_SIZE)
}

fn tickets(authed: &Authed, params: &Params, paging: Paging, most: usize) -> ApiResult<Response> {
    // Admins only, whatever the parameters: a forbidden caller learns nothing from their checks.
    authed.caller.require_admin()?;
    let request = export_request(params, paging, most)?;
    let exclude_deleted = params.flag("exclude_deleted");
    authed.account.read(|data| {
        let page = data.export_tickets(&authed.caller, &request, exclude_deleted)?;
        let items = page
            .items
            .iter()
            .map(|t| views::incremental::ticket(data, t, &authed.origin))
            .collect();
        Ok(ok(body(authed, params, paging, "tickets", items, &page)))
    })
}

fn users(authed: &Authed, params: &Params, paging: Paging, most: usize) -> ApiResult<Response> {
    authed.caller.require_admin()?;
    let request = export_request(params, paging, most)?;
    authed.account.read(|data| {
        let page = data.export_users(&authed.caller, &request)?;
        let items = page
            .items
            .iter()
            .map(|u| views::users::user(data, u, &authed.origin).to_value())
            .collect();
        Ok(ok(body(authed, params, paging, "users", items, &page)))
    })
}

/// Reads `cursor` (cursor exports only), else `start_time`, and `per_page` (at most `most`).
fn export_request(params: &Params, paging: Paging, most: usize) -> ApiResult<ExportRequest> {
    let cursor = params
        .get("cursor")
        .filter(|c| paging == Paging::Cursor && !c.trim().is_empty());
    let start = match cursor {
        Some(cursor) => Start::After(
            Position::decode(cursor).ok_or_else(|| invalid_value("cursor is invalid"))?,
        ),
        None => {
            let text = params
                .get("start_time")
                .filter(|t| !t.trim().is_empty())
                .ok_or_else(|| invalid_value("start_time is required"))?;
            let at = text
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|at| *at >= 0)
                .ok_or_else(|| {
                    invalid_value("start_time must be a Unix epoch time in whole seconds")
                })?;
            Start::Time(at)
        }
    };
    let per_page = match params.get("per_page") {
        None => most,
        Some(text) => text
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                crate::error::ApiError::invalid_pagination(
                    "per_page must be an integer greater than 0",
                )
            })?
            .min(most),
    };
    Ok(ExportRequest {
        start,
        per_page,
        paging,
    })
}

/// The time-based body (`count`, `end_of_stream`, `end_time`, `next_page`) or the cursor-based
/// one (`after_cursor`, `after_url`, `before_cursor`, `before_url`, `end_of_stream`). The
/// export only moves forward, so `before_*` are null, as in every published example.
fn body<T>(
    authed: &Authed,
    params: &Params,
    paging: Paging,
    key: &str,
    items: Vec<Value>,
    page: &ExportPage<T>,
) -> Value {
    let mut fields = Map::new();
    match paging {
        Paging::Time => {
            let next = link(authed, params, "start_time", page.end_time.to_string());
            fields.insert("count".into(), json!(items.len()));
            fields.insert("end_of_stream".into(), json!(page.end_of_stream));
            fields.insert("end_time".into(), json!(page.end_time));
            fields.insert("next_page".into(), json!(next));
        }
        Paging::Cursor => {
            let cursor = page.resume.encode();
            let after_url = link(authed, params, "cursor", cursor.clone());
            fields.insert("after_cursor".into(), json!(cursor));
            fields.insert("after_url".into(), json!(after_url));
            fields.insert("before_cursor".into(), Value::Null);
            fields.insert("before_url".into(), Value::Null);
            fields.insert("end_of_stream".into(), json!(page.end_of_stream));
        }
    }
    list(key, items, fields)
}

/// This request's absolute URL with `start_time` and `cursor` replaced by `name=value`, other
/// parameters (`per_page`, `exclude_deleted`, …) kept in their order: the live form
/// `…/incremental/tickets.json?per_page=3&start_time=1390362485`.
fn link(authed: &Authed, params: &Params, name: &str, value: String) -> String {
    let mut pairs: Vec<(String, String)> = params
        .pairs()
        .iter()
        .filter(|(k, _)| k != "start_time" && k != "cursor")
        .cloned()
        .collect();
    pairs.push((name.to_owned(), value));
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("{}{}?{query}", authed.origin, authed.path)
}
