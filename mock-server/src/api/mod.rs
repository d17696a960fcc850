//! The Zendesk API, one module per resource. Each exposes `routes()`; handlers parse inputs,
//! call the domain in [`crate::store`], and render with [`crate::views`]. No rule lives here.

pub mod deleted_users;
pub mod identities;
pub mod job_statuses;
pub mod users;

use crate::http::AppState;
use axum::Router;

/// Every Zendesk API route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(users::routes())
        .merge(identities::routes())
        .merge(deleted_users::routes())
        .merge(job_statuses::routes())
}
