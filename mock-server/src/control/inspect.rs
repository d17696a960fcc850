//! Settings, journal, events and held jobs.

use crate::error::{ApiError, ApiResult};
use crate::http::context::Control;
use crate::http::extract::Body;
use crate::http::respond::ok;
use crate::store::Settings;
use crate::store::jobs::release_all;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// GET /__mock/settings.
pub async fn show_settings(control: Control) -> ApiResult<Response> {
    let settings = control.account.read(|data| data.settings.clone());
    Ok(ok(json!({"settings": settings})))
}

/// PATCH /__mock/settings — changes the named settings; unknown names or bad values are 400.
pub async fn update_settings(control: Control, Body(patch): Body<Value>) -> ApiResult<Response> {
    let Value::Object(patch) = patch else {
        return Err(ApiError::invalid_json("settings must be a JSON object"));
    };
    let settings = control.account.write(|data| {
        let mut merged = serde_json::to_value(&data.settings).unwrap_or_default();
        if let Value::Object(fields) = &mut merged {
            fields.extend(patch);
        }
        let settings: Settings = serde_json::from_value(merged)
            .map_err(|e| ApiError::invalid_json(format!("Invalid settings: {e}")))?;
        data.settings = settings.clone();
        ApiResult::Ok(settings)
    })?;
    Ok(ok(json!({"settings": settings})))
}

/// GET /__mock/journal — the requests this account received, oldest first.
pub async fn show_journal(control: Control) -> ApiResult<Response> {
    let entries: Vec<Value> = control
        .account
        .journal()
        .iter()
        .map(|e| e.to_json())
        .collect();
    Ok(ok(json!({"journal": entries})))
}

/// DELETE /__mock/journal.
pub async fn clear_journal(control: Control) -> ApiResult<Response> {
    control.account.journal().clear();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// GET /__mock/events — the semantic event log, oldest first.
pub async fn show_events(control: Control) -> ApiResult<Response> {
    let events: Vec<Value> = control
        .account
        .read(|data| data.events().iter().map(|e| e.to_json()).collect());
    Ok(ok(json!({"events": events})))
}

/// DELETE /__mock/events.
pub async fn clear_events(control: Control) -> ApiResult<Response> {
    control.account.write(|data| data.clear_events());
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// POST /__mock/jobs/release — runs every held job (manual job mode) to completion.
pub async fn release_jobs(control: Control) -> ApiResult<Response> {
    let released = release_all(&control.account);
    Ok(ok(json!({"released": released})))
}
