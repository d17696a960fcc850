//! Job Statuses — <https://developer.zendesk.com/api-reference/ticketing/ticket-management/job_statuses/>
//! (facts §6).

use crate::error::{ApiError, ApiResult};
use crate::http::AppState;
use crate::http::context::Authed;
use crate::http::extract::Params;
use crate::http::pagination::{PageRequest, Style, paginate};
use crate::http::respond::{list, ok};
use crate::views;
use axum::Router;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/job_statuses", get(list_job_statuses))
        .route(
            "/api/v2/job_statuses/show_many",
            get(show_many_job_statuses),
        )
        .route("/api/v2/job_statuses/{id}", get(show_job_status))
}

/// GET /api/v2/job_statuses — List Job Statuses (cursor only), newest first.
async fn list_job_statuses(authed: Authed, params: Params) -> ApiResult<Response> {
    authed.caller.require_staff()?;
    let request = PageRequest::from_params(&params, Style::CursorOnly, "job")?;
    authed.account.read(|data| {
        let page = paginate(
            data.list_jobs(),
            |j| j.list_key(),
            &request,
            &authed.links(&params),
            "job",
        );
        let items = page
            .items
            .iter()
            .map(|j| views::jobs::job(j, &authed.origin))
            .collect();
        Ok(ok(list("job_statuses", items, page.fields)))
    })
}

/// GET /api/v2/job_statuses/{id} — Show Job Status.
async fn show_job_status(authed: Authed, Path(id): Path<String>) -> ApiResult<Response> {
    authed.caller.require_staff()?;
    authed.account.read(|data| {
        let job = data.job(&id)?;
        Ok(ok(
            json!({"job_status": views::jobs::job(job, &authed.origin)}),
        ))
    })
}

/// GET /api/v2/job_statuses/show_many — Show Many Job Statuses (`ids`, required, at most 100).
async fn show_many_job_statuses(authed: Authed, params: Params) -> ApiResult<Response> {
    authed.caller.require_staff()?;
    let ids = params
        .list("ids")?
        .ok_or_else(|| ApiError::parameter_missing("ids"))?;
    authed.account.read(|data| {
        let items: Vec<_> = ids
            .iter()
            .filter_map(|id| data.job(id).ok())
            .map(|j| views::jobs::job(j, &authed.origin))
            .collect();
        Ok(ok(json!({"job_statuses": items})))
    })
}
