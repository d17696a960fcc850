//! The Zendesk API, one module per resource. Each exposes `routes()`; handlers parse inputs,
//! call the domain in [`crate::store`], and render with [`crate::views`]. No rule lives here.

pub mod attachments;
pub mod deleted_tickets;
pub mod deleted_users;
pub mod identities;
pub mod incremental;
pub mod job_statuses;
pub mod redactions;
pub mod requests;
pub mod search;
pub mod suspended_tickets;
pub mod ticket_comments;
pub mod tickets;
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
        .merge(tickets::routes())
        .merge(ticket_comments::routes())
        .merge(redactions::routes())
        .merge(attachments::routes())
        .merge(deleted_tickets::routes())
        .merge(suspended_tickets::routes())
        .merge(requests::routes())
        .merge(search::routes())
        .merge(incremental::routes())
}
