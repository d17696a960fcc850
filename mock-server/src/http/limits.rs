//! Rate limits at the edge: counts each Zendesk API request against its account's windows
//! (`store::rate_limits`), refuses with Zendesk's 429 when a window is full, and writes the
//! rate-limit headers live responses carry (facts §12).

use crate::error::ApiError;
use crate::store::rate_limits::{Limit, Verdict, rules_for};
use crate::store::{Account, Id};
use axum::http::{HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};

/// Counts the request; `None` for control-API requests, which are neither limited nor counted.
pub fn check(account: &Account, method: &str, path: &str, user_id: Option<Id>) -> Option<Verdict> {
    if path.starts_with("/__mock") {
        return None;
    }
    let (now, limit, enforce) = account.read(|data| {
        (
            data.now(),
            data.settings.account_limit(),
            data.settings.rate_limits.is_some(),
        )
    });
    Some(account.rate_check(now, limit, &rules_for(method, path, user_id), enforce))
}

/// The 429 for a refused request, if it was refused.
pub fn refusal(verdict: Option<&Verdict>) -> Option<Response> {
    let (retry_after, rule) = verdict?.refused.clone()?;
    Some(
        ApiError::TooManyRequests {
            retry_after,
            limit: if rule.ticket_update {
                Limit::TicketUpdates
            } else {
                Limit::Requests
            },
        }
        .into_response(),
    )
}

/// `x-rate-limit`, `x-rate-limit-remaining`, `ratelimit-limit`, `ratelimit-remaining`,
/// `ratelimit-reset`, and on ticket updates `zendesk-ratelimit-per-ticket-updates`.
pub fn add_headers(response: &mut Response, verdict: &Verdict) {
    // Names parsed once, values formatted without a `String` each: this runs on every request.
    const LIMIT: HeaderName = HeaderName::from_static("x-rate-limit");
    const REMAINING: HeaderName = HeaderName::from_static("x-rate-limit-remaining");
    const RFC_LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
    const RFC_REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
    const RFC_RESET: HeaderName = HeaderName::from_static("ratelimit-reset");
    const TICKET_UPDATES: HeaderName =
        HeaderName::from_static("zendesk-ratelimit-per-ticket-updates");
    let (limit, remaining, reset) = verdict.account;
    let headers = response.headers_mut();
    headers.reserve(6);
    headers.insert(LIMIT, HeaderValue::from(limit));
    headers.insert(REMAINING, HeaderValue::from(remaining));
    headers.insert(RFC_LIMIT, HeaderValue::from(limit));
    headers.insert(RFC_REMAINING, HeaderValue::from(remaining));
    headers.insert(RFC_RESET, HeaderValue::from(reset));
    if let Some((total, remaining, resets)) = verdict.ticket_updates {
        let value = format!("total={total}; remaining={remaining}; resets={resets}");
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(TICKET_UPDATES, value);
        }
    }
}
