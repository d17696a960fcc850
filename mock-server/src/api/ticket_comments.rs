//! Ticket Comments and Ticket Audits —
//! <https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/> (facts §5.2).

use crate::error::ApiResult;
use crate::http::AppState;
use crate::http::context::Authed;
use crate::http::extract::{Ids, Params};
use crate::http::pagination::{PageRequest, Style, paginate};
use crate::http::respond::{list, ok};
use crate::store::clock::iso8601;
use crate::views;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use serde_json::{Value, json};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/tickets/{id}/comments", get(list_comments))
        .route("/api/v2/tickets/{id}/comments/count", get(count_comments))
        .route(
            "/api/v2/tickets/{id}/comments/{comment_id}/make_private",
            put(make_comment_private),
        )
        .route("/api/v2/tickets/{id}/audits", get(list_audits))
}

/// GET /api/v2/tickets/{id}/comments — List Comments: oldest first by default; cursor
/// `sort=-created_at` or offset `sort_order=desc` reverse it; `include=users` side-loads authors.
async fn list_comments(authed: Authed, Ids([id]): Ids<1>, params: Params) -> ApiResult<Response> {
    let descending =
        params.get("sort") == Some("-created_at") || params.get("sort_order") == Some("desc");
    let order = if descending {
        "-created_at"
    } else {
        "created_at"
    };
    let request = PageRequest::from_params(&params, Style::Both, order)?;
    let sign = if descending { -1 } else { 1 };
    authed.account.read(|data| {
        let mut comments = data.comments_of(&authed.caller, id)?;
        comments.sort_by_key(|c| (sign * c.created_at, sign * c.id));
        let page = paginate(
            comments,
            |c| vec![sign * c.created_at, sign * c.id],
            &request,
            &authed.links(&params),
            order,
        );
        let include_inline = params.flag("include_inline_images");
        let items: Vec<Value> = page
            .items
            .iter()
            .map(|c| {
                let mut item = views::comments::comment(data, c, &authed.origin);
                if !include_inline && let Some(list) = item["attachments"].as_array_mut() {
                    list.retain(|a| a["inline"] != true);
                }
                item
            })
            .collect();
        let authors: Vec<i64> = page.items.iter().map(|c| c.author_id).collect();
        let mut body = list("comments", items, page.fields);
        if super::tickets::includes_users(&params) {
            body["users"] =
                views::tickets::side_loaded_users(data, authors, &authed.caller, &authed.origin);
        }
        Ok(ok(body))
    })
}

/// GET /api/v2/tickets/{id}/comments/count — Count Ticket Comments.
async fn count_comments(authed: Authed, Ids([id]): Ids<1>) -> ApiResult<Response> {
    authed.account.read(|data| {
        let count = data.comments_of(&authed.caller, id)?.len();
        Ok(ok(
            json!({"count": {"value": count, "refreshed_at": iso8601(data.now())}}),
        ))
    })
}

/// PUT /api/v2/tickets/{id}/comments/{comment_id}/make_private — Make Comment Private: 200, empty.
async fn make_comment_private(
    authed: Authed,
    Ids([id, comment_id]): Ids<2>,
) -> ApiResult<Response> {
    authed
        .account
        .write(|data| data.make_comment_private(&authed.caller, id, comment_id))?;
    Ok(StatusCode::OK.into_response())
}

/// GET /api/v2/tickets/{id}/audits — List Audits for a Ticket (cursor or offset), oldest first.
async fn list_audits(authed: Authed, Ids([id]): Ids<1>, params: Params) -> ApiResult<Response> {
    authed.account.read(|data| {
        let audits = data.audits_of(&authed.caller, id)?;
        let body = authed.id_page(
            &params,
            Style::Both,
            "audits",
            audits,
            |a| a.id,
            |a| views::comments::audit(data, a, &authed.origin),
        )?;
        Ok(ok(body))
    })
}
