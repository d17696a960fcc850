//! Rate limits at the edge: counts each Zendesk API request against its account's windows
//! (`store::rate_limits`), refuses with Zendesk's 429 when a window is full, and writes the
//! rate-limit headers live responses carry (facts §12).

use crate::error::ApiError;
use crate::store::rate_limits::{Limit, Verdict, rules_for};
use crate::store::{Account, Id};
use axum::http::HeaderValue;
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
    let (limit, remaining, reset) = verdict.account;
    let mut pairs = vec![
        ("x-rate-limit", limit.to_string()),
        ("x-rate-limit-remaining", remaining.to_string()),
        ("ratelimit-limit", limit.to_string()),
        ("ratelimit-remaining", remaining.to_string()),
        ("ratelimit-reset", reset.to_string()),
    ];
    if let Some((total, remaining, resets)) = verdict.ticket_updates {
        pairs.push((
            "zendesk-ratelimit-per-ticket-updates",
            format!("total={total}; remaining={remaining}; resets={resets}"),
        ));
    }
    let headers = response.headers_mut();
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
}
