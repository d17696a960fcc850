//! Settings, journal, events and held jobs.

use crate::error::{ApiError, ApiResult};
use crate::http::context::Control;
use crate::http::extract::{Body, Params};
use crate::http::respond::ok;
use crate::store::Settings;
use crate::store::jobs::release_all;
use axum::http::header::{ACCEPT, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
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

/// Which entries of a log to return: `?after=SEQ` (only newer ones — poll with the last `seq`
/// seen to stream the log) and `?limit=N` (the oldest N of those).
struct Window {
    after: u64,
    limit: usize,
}

impl Window {
    fn from(params: &Params) -> ApiResult<Self> {
        let number = |name: &str| -> ApiResult<Option<u64>> {
            params
                .get(name)
                .map(|v| {
                    v.parse::<u64>().map_err(|_| {
                        ApiError::invalid_parameter(format!("{name} must be a whole number"))
                    })
                })
                .transpose()
        };
        Ok(Self {
            after: number("after")?.unwrap_or(0),
            limit: number("limit")?.map_or(usize::MAX, |n| n as usize),
        })
    }

    fn pick<'a, T: 'a>(
        &self,
        entries: impl Iterator<Item = &'a T>,
        seq: impl Fn(&T) -> u64,
    ) -> Vec<&'a T> {
        entries
            .filter(|e| seq(e) > self.after)
            .take(self.limit)
            .collect()
    }
}

/// `{"<key>":[...]}`, or one JSON object per line when the client asks for
/// `application/x-ndjson` (for piping into a log processor).
fn render_log(key: &str, entries: Vec<Value>, headers: &HeaderMap) -> Response {
    let ndjson = headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("ndjson"));
    if !ndjson {
        return ok(json!({ key: entries }));
    }
    let mut text = String::new();
    for entry in entries {
        text.push_str(&entry.to_string());
        text.push('\n');
    }
    ([(CONTENT_TYPE, "application/x-ndjson")], text).into_response()
}

/// GET /__mock/journal — the requests this account received, oldest first (`after`, `limit`).
pub async fn show_journal(
    control: Control,
    params: Params,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let window = Window::from(&params)?;
    let entries: Vec<Value> = {
        let journal = control.account.journal();
        window
            .pick(journal.iter(), |e| e.seq)
            .into_iter()
            .map(|e| e.to_json())
            .collect()
    };
    Ok(render_log("journal", entries, &headers))
}

/// DELETE /__mock/journal.
pub async fn clear_journal(control: Control) -> ApiResult<Response> {
    control.account.journal().clear();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// GET /__mock/events — the semantic event log, oldest first (`after`, `limit`).
pub async fn show_events(
    control: Control,
    params: Params,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let window = Window::from(&params)?;
    let events: Vec<Value> = control.account.read(|data| {
        window
            .pick(data.events().iter(), |e| e.seq)
            .into_iter()
            .map(|e| e.to_json())
            .collect()
    });
    Ok(render_log("events", events, &headers))
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
