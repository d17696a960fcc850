//! Applies the account's injected faults ([`crate::store::faults`]) to Zendesk API requests.
//! Runs inside [`super::context::context`], so a faulted request is still journaled (with its
//! injected status and its full duration, latency included) and carries rate-limit headers.
//!
//! The bodies of the injected statuses (Zendesk documents only the 429's text):
//!
//! | status | content type | body | `Retry-After` |
//! | --- | --- | --- | --- |
//! | 429 | `text/plain` | `Number of allowed API requests per minute exceeded` (facts §12; the text is INFERRED to be Zendesk's) | `retry_after`, default 60 |
//! | 500 | `application/json` | `{"status":500,"error":"Internal Server Error"}` — INFERRED: what Rails (which Zendesk runs on) renders for an unhandled error on a JSON request | — |
//! | 502 | `text/html` | the edge proxy's `502 Bad Gateway` page — INFERRED: a gateway error never reaches the app, so it is not JSON | — |
//! | 503 | `text/plain` | `Service Unavailable` — INFERRED: Zendesk documents maintenance and overload 503s, "sometimes with Retry-After", without a body (facts §2) | only when `retry_after` is given |

use super::context::RequestContext;
use crate::store::faults::{Effect, with_failing_job};
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// The 500 body: Rails' `ActionDispatch::PublicExceptions` for a JSON request (INFERRED).
pub const INTERNAL_ERROR_JSON: &str = r#"{"status":500,"error":"Internal Server Error"}"#;
/// The 502 page of an nginx-style edge proxy (INFERRED).
pub const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
/// The 503 text (INFERRED).
pub const SERVICE_UNAVAILABLE_TEXT: &str = "Service Unavailable";

/// Middleware: fires the first matching fault of the request's account, if any. The fault
/// lock is released before any `.await` (latency sleeps hold no lock).
pub async fn faults(request: Request, next: Next) -> Response {
    let firing = request
        .extensions()
        .get::<RequestContext>()
        .and_then(|context| context.account.as_ref())
        .and_then(|account| {
            let (method, path) = (request.method().as_str(), request.uri().path());
            account.faults(|faults| faults.fire(method, path))
        });
    let Some(firing) = firing else {
        return next.run(request).await;
    };
    if firing.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(firing.latency_ms)).await;
    }
    match firing.effect {
        Effect::Latency => next.run(request).await,
        Effect::Status(status, retry_after) => status_response(status, retry_after),
        Effect::DropConnection => dropped_connection(),
        Effect::FailJobItems(n) => with_failing_job(n, next.run(request)).await,
    }
}

/// An injected error status with the body in the module table.
fn status_response(status: u16, retry_after: Option<u32>) -> Response {
    if status == 429 {
        // The same answer the rate limiter gives (store::rate_limits).
        let retry_after =
            i64::from(retry_after.unwrap_or(crate::store::faults::DEFAULT_RETRY_AFTER));
        return crate::error::ApiError::TooManyRequests {
            retry_after,
            limit: crate::store::rate_limits::Limit::Requests,
        }
        .into_response();
    }
    let (content_type, body) = match status {
        500 => ("application/json; charset=utf-8", INTERNAL_ERROR_JSON),
        502 => ("text/html", BAD_GATEWAY_HTML),
        _ => ("text/plain; charset=utf-8", SERVICE_UNAVAILABLE_TEXT),
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Some(seconds) = retry_after {
        headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// A response hyper cannot finish: `Content-Length` promises a byte that a body of unknown
/// length never sends, so hyper aborts the write ("body write aborted") and closes the
/// connection. The client sees the connection break. Status 444 is nginx's "connection closed
/// without response"; only the journal sees it.
fn dropped_connection() -> Response {
    // `from_stream` hides the (empty) body's length, so hyper trusts the header instead of
    // checking it against the body, and fails when the stream ends short.
    let body = Body::from_stream(Body::empty().into_data_stream());
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::from_u16(444).unwrap_or(StatusCode::BAD_GATEWAY);
    response
        .headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from_static("1"));
    response
}
