//! Deleted Users — <https://developer.zendesk.com/api-reference/ticketing/users/users/#list-deleted-users>
//! (facts §3.4): soft-deleted users and the placeholders of permanently deleted ones.

use crate::error::ApiResult;
use crate::http::AppState;
use crate::http::context::Authed;
use crate::http::extract::{Ids, Params};
use crate::http::pagination::Style;
use crate::http::respond::ok;
use crate::store::clock::iso8601;
use crate::views;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/deleted_users", get(list_deleted_users))
        .route("/api/v2/deleted_users/count", get(count_deleted_users))
        .route(
            "/api/v2/deleted_users/{id}",
            get(show_deleted_user).delete(permanently_delete_user),
        )
}

/// GET /api/v2/deleted_users — List Deleted Users (cursor or offset), oldest first.
async fn list_deleted_users(authed: Authed, params: Params) -> ApiResult<Response> {
    authed.account.read(|data| {
        let users = data.deleted_users(&authed.caller)?;
        let body = authed.id_page(
            &params,
            Style::Both,
            "deleted_users",
            users,
            |u| u.id,
            |u| views::users::deleted_user(data, u, &authed.origin),
        )?;
        Ok(ok(body))
    })
}

/// GET /api/v2/deleted_users/count — Count Deleted Users.
async fn count_deleted_users(authed: Authed) -> ApiResult<Response> {
    authed.account.read(|data| {
        let count = data.deleted_users(&authed.caller)?.len();
        Ok(ok(
            json!({"count": {"value": count, "refreshed_at": iso8601(data.now())}}),
        ))
    })
}

/// GET /api/v2/deleted_users/{id} — Show Deleted User.
async fn show_deleted_user(authed: Authed, Ids([id]): Ids<1>) -> ApiResult<Response> {
    authed.account.read(|data| {
        let user = data.deleted_user(&authed.caller, id)?;
        Ok(ok(
            json!({"deleted_user": views::users::deleted_user(data, user, &authed.origin)}),
        ))
    })
}

/// DELETE /api/v2/deleted_users/{id} — Permanently Delete User: 200 with the scrubbed record;
/// 404 unless the user was soft-deleted first.
async fn permanently_delete_user(authed: Authed, Ids([id]): Ids<1>) -> ApiResult<Response> {
    authed.account.write(|data| {
        data.permanently_delete_user(&authed.caller, id)?;
        let user = data.user(id)?;
        Ok(ok(
            json!({"deleted_user": views::users::deleted_user(data, user, &authed.origin)}),
        ))
    })
}
