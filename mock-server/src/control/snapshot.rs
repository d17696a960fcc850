//! Snapshots (design.md "Control API"): export and import an account's whole state as
//! versioned JSON ([`crate::store::snapshot`]), and save every account to the state file.

use crate::error::{ApiError, ApiResult};
use crate::http::AppState;
use crate::http::context::{Control, ServerControl};
use crate::http::extract::Body;
use crate::http::respond::ok;
use crate::store::snapshot::{FORMAT_VERSION, Snapshot, resume_jobs};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The largest `PUT /__mock/snapshot` body: room for accounts with many attachments.
pub const MAX_SNAPSHOT_BYTES: usize = 512 * 1024 * 1024;

/// GET /__mock/snapshot — the calling account's whole state:
/// `{"version":1,"accounts":[{"subdomain",…}]}`.
pub async fn show_snapshot(control: Control) -> ApiResult<Response> {
    Ok(Json(Snapshot::of_account(&control.account)).into_response())
}

/// PUT /__mock/snapshot — replaces the calling account's state with the one account of a
/// snapshot document (as `GET` returns it; its subdomain may differ): 200
/// `{"restored":{"subdomain","version"}}`. Anything invalid is a 400 that changes nothing. The account then authenticates with the document's tokens; its
/// unfinished jobs resume as its job mode says.
pub async fn restore_snapshot(
    State(state): State<AppState>,
    control: Control,
    Body(document): Body<Value>,
) -> ApiResult<Response> {
    let snapshot = Snapshot::from_value(document)
        .map_err(|reason| ApiError::invalid_json(format!("Invalid snapshot: {reason}")))?;
    state.registry.restore_account(&control.account, snapshot)?;
    resume_jobs(&control.account);
    Ok(ok(json!({"restored": {
        "subdomain": control.account.subdomain,
        "version": FORMAT_VERSION,
    }})))
}

/// POST /__mock/snapshot/save — writes every account to the state file now (atomically):
/// `{"saved":{"path","accounts","bytes"}}`. 400 when the server has no state file (`--state`).
pub async fn save_snapshot(State(state): State<AppState>, _: ServerControl) -> ApiResult<Response> {
    let Some(path) = state.registry.state_file().map(ToOwned::to_owned) else {
        return Err(ApiError::invalid_parameter(
            "The server has no state file; start it with --state FILE",
        ));
    };
    let registry = state.registry.clone();
    // Serializing and fsyncing a large state blocks: off the async workers.
    let saved = tokio::task::spawn_blocking(move || registry.save_to(&path)).await;
    match saved {
        Ok(Ok(saved)) => Ok(ok(json!({"saved": {
            "path": saved.path.display().to_string(),
            "accounts": saved.accounts,
            "bytes": saved.bytes,
        }}))),
        Ok(Err(error)) => Ok(internal(&error.to_string())),
        Err(_) => Ok(internal("the save did not finish")),
    }
}

/// 500 in the Zendesk error shape, for a state file that could not be written.
fn internal(description: &str) -> Response {
    let body = json!({"error": "StateFileNotSaved", "description": description});
    (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
}
