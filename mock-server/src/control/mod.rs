//! The control API (`/__mock/...`, design.md "Control API"): not part of Zendesk; how tests and
//! trainers set up, inspect and reset accounts. Errors use the same Zendesk error shape.

mod accounts;
mod clock;
mod faults;
mod inspect;
pub mod openapi;
mod snapshot;
mod world;

use crate::http::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/__mock/accounts",
            post(accounts::create_account).get(accounts::list_accounts),
        )
        .route(
            "/__mock/accounts/{subdomain}",
            axum::routing::delete(accounts::delete_account),
        )
        .route("/__mock/reset", post(accounts::reset_account))
        .route("/__mock/seed", post(accounts::seed_account))
        .route(
            "/__mock/settings",
            get(inspect::show_settings).patch(inspect::update_settings),
        )
        .route(
            "/__mock/journal",
            get(inspect::show_journal).delete(inspect::clear_journal),
        )
        .route(
            "/__mock/events",
            get(inspect::show_events).delete(inspect::clear_events),
        )
        .route("/__mock/jobs/release", post(inspect::release_jobs))
        .route(
            "/__mock/faults",
            get(faults::list_faults)
                .post(faults::create_fault)
                .delete(faults::clear_faults),
        )
        .route(
            "/__mock/faults/{id}",
            get(faults::show_fault).delete(faults::delete_fault),
        )
        .route(
            "/__mock/clock",
            get(clock::show_clock).put(clock::set_clock),
        )
        .route("/__mock/clock/advance", post(clock::advance_clock))
        .route(
            "/__mock/snapshot",
            get(snapshot::show_snapshot)
                .put(snapshot::restore_snapshot)
                .layer(DefaultBodyLimit::max(snapshot::MAX_SNAPSHOT_BYTES)),
        )
        .route("/__mock/snapshot/save", post(snapshot::save_snapshot))
        // Registered without `.json`, like every route: the suffix is stripped before routing.
        .route("/__mock/openapi", get(openapi::show_openapi))
        .route("/__mock/residue", post(world::find_residue))
        .route("/__mock/ticket_records", get(world::show_ticket_records))
        .route("/__mock/inbound/email", post(world::receive_email))
}
