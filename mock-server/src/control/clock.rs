//! The account's virtual clock: read, set, freeze, advance. Moving it forward runs every
//! scheduled task that fell due (store::lifecycle): 30-day purges, solved tickets closing, job
//! statuses expiring.

use crate::error::{ApiError, ApiResult};
use crate::http::context::Control;
use crate::http::extract::Body;
use crate::http::respond::ok;
use crate::store::AccountData;
use crate::store::clock::{iso8601, parse_rfc3339};
use crate::store::lifecycle::Ran;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

fn clock_json(data: &AccountData) -> Value {
    json!({
        "now": iso8601(data.now()),
        "frozen": data.clock.frozen_at.is_some(),
        "offset_seconds": data.clock.offset_seconds,
    })
}

fn reply(data: &AccountData, ran: Vec<Ran>) -> Response {
    ok(json!({"clock": clock_json(data), "ran": ran}))
}

/// GET /__mock/clock — `{"clock":{"now","frozen","offset_seconds"}}`.
pub async fn show_clock(control: Control) -> ApiResult<Response> {
    Ok(control
        .account
        .read(|data| ok(json!({"clock": clock_json(data)}))))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetClock {
    /// RFC 3339; absent keeps the current time.
    now: Option<String>,
    /// Freeze (true) or let run (false); absent keeps the current mode.
    frozen: Option<bool>,
}

/// PUT /__mock/clock `{"now","frozen"}` — sets and/or freezes the clock. A later time runs
/// what fell due on the way, exactly as an advance does.
pub async fn set_clock(control: Control, Body(body): Body<SetClock>) -> ApiResult<Response> {
    let target = body
        .now
        .as_deref()
        .map(|text| {
            parse_rfc3339(text)
                .ok_or_else(|| ApiError::invalid_json(format!("now `{text}` is not RFC 3339")))
        })
        .transpose()?;
    Ok(control.account.write(|data| {
        let frozen = body.frozen.unwrap_or(data.clock.frozen_at.is_some());
        let ran = data.move_clock(target.unwrap_or_else(|| data.now()), frozen);
        reply(data, ran)
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advance {
    seconds: Option<i64>,
    minutes: Option<i64>,
    hours: Option<i64>,
    days: Option<i64>,
    /// RFC 3339 instant to advance to.
    to: Option<String>,
}

/// POST /__mock/clock/advance `{"days":30}` (or `seconds`, `minutes`, `hours`, `to`) — moves
/// the clock forward, running in time order everything that fell due; reports what ran.
pub async fn advance_clock(control: Control, Body(body): Body<Advance>) -> ApiResult<Response> {
    let step = [
        (body.seconds, 1),
        (body.minutes, 60),
        (body.hours, 3600),
        (body.days, 86_400),
    ]
    .iter()
    .filter_map(|(n, unit)| n.map(|n| n.saturating_mul(*unit)))
    .try_fold(0_i64, i64::checked_add)
    .ok_or_else(|| ApiError::invalid_json("the advance is too large"))?;
    let to = body
        .to
        .as_deref()
        .map(|text| {
            parse_rfc3339(text)
                .ok_or_else(|| ApiError::invalid_json(format!("to `{text}` is not RFC 3339")))
        })
        .transpose()?;
    if step < 0 {
        return Err(ApiError::invalid_json(
            "the clock only advances; use PUT /__mock/clock to set it back",
        ));
    }
    control.account.write(|data| {
        let target = to.unwrap_or_else(|| data.now().saturating_add(step));
        if target < data.now() {
            return Err(ApiError::invalid_json(
                "`to` is in the past; use PUT /__mock/clock to set the clock back",
            ));
        }
        let frozen = data.clock.frozen_at.is_some();
        let ran = data.move_clock(target, frozen);
        Ok(reply(data, ran))
    })
}
