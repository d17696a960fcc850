//! Injected faults: add, list, show, delete one, clear. The rules (matching, counting, seeded
//! probability, which specs are valid) live in [`crate::store::faults`].

use crate::error::ApiResult;
use crate::http::context::Control;
use crate::http::extract::{Body, Ids};
use crate::http::respond::{created, ok};
use crate::store::faults::FaultSpec;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// GET /__mock/faults — the account's faults, oldest first, with `hits` and `remaining`.
pub async fn list_faults(control: Control) -> ApiResult<Response> {
    let faults: Vec<Value> = control
        .account
        .faults(|faults| faults.list().iter().map(|f| f.to_json()).collect());
    Ok(ok(json!({"faults": faults})))
}

/// POST /__mock/faults — adds a fault: 201 `{"fault":{...}}`, or 400 for a bad spec.
pub async fn create_fault(control: Control, Body(spec): Body<FaultSpec>) -> ApiResult<Response> {
    let fault = control
        .account
        .faults(|faults| faults.add(spec).map(|f| f.to_json()))?;
    let location = format!("/__mock/faults/{}", fault["id"]);
    Ok(created(json!({"fault": fault}), &location))
}

/// GET /__mock/faults/{id} — one fault, or 404.
pub async fn show_fault(control: Control, Ids([id]): Ids<1>) -> ApiResult<Response> {
    let fault = control
        .account
        .faults(|faults| faults.get(id).map(|f| f.to_json()))?;
    Ok(ok(json!({"fault": fault})))
}

/// DELETE /__mock/faults/{id} — removes one fault: 204, or 404.
pub async fn delete_fault(control: Control, Ids([id]): Ids<1>) -> ApiResult<Response> {
    control.account.faults(|faults| faults.remove(id))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// DELETE /__mock/faults — removes every fault of the account: 204.
pub async fn clear_faults(control: Control) -> ApiResult<Response> {
    control.account.faults(|faults| faults.clear());
    Ok(StatusCode::NO_CONTENT.into_response())
}
