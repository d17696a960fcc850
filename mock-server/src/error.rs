//! The one error type. Every failure the server can produce — domain rule, bad input, unknown
//! route, missing credentials — is an [`ApiError`] and renders as Zendesk's JSON error body with
//! Zendesk's status (facts sheet §2). The domain returns these directly: the variants name
//! Zendesk's error *kinds*, and only [`IntoResponse`] knows about HTTP.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};

/// One entry under `details.<field>` of a `RecordInvalid` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detail {
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A Zendesk API failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 404 `{"error":"RecordNotFound","description":"Not found"}` — missing or invisible record.
    #[error("record not found")]
    RecordNotFound,
    /// 404 `{"error":"InvalidEndpoint","description":"Not found"}` — no such route.
    #[error("invalid endpoint")]
    InvalidEndpoint,
    /// 401 `{"error":"Couldn't authenticate you"}` — bad Basic or API-token credentials.
    #[error("couldn't authenticate you")]
    CouldNotAuthenticate,
    /// 401 `invalid_token` — bad, expired or revoked OAuth bearer token.
    #[error("invalid OAuth token")]
    InvalidToken,
    /// 403 Forbidden — authenticated, but the role or permission does not allow it.
    #[error("forbidden")]
    Forbidden,
    /// 400 TooManyValues — a bulk call above its item limit.
    #[error("too many values: {description}")]
    TooManyValues {
        description: String,
        max_count: Option<u32>,
    },
    /// 422 RecordInvalid with `details`, keyed by field.
    #[error("record invalid: {0:?}")]
    RecordInvalid(Vec<(String, Detail)>),
    /// 400 with a named error, for malformed requests (bad JSON, bad parameter values).
    #[error("bad request: {error}: {description}")]
    BadRequest {
        error: &'static str,
        description: String,
    },
    /// 429 with `Retry-After` and a plain-text (or, for ticket updates, HTML) body, as the
    /// rate-limits doc shows (facts §12).
    #[error("rate limited; retry after {retry_after}s")]
    TooManyRequests {
        retry_after: i64,
        limit: crate::store::rate_limits::Limit,
    },
    /// 409 UpdateConflict — a `safe_update` whose `updated_stamp` is stale.
    #[error("update conflict")]
    Conflict,
    /// 400 InvalidPaginationParameter, in the `errors` array shape.
    #[error("invalid pagination parameter: {0}")]
    InvalidPagination(String),
    /// 422 `{"error":"invalid","description":"Invalid search: ..."}` — a search Zendesk refuses
    /// (facts §2: the recorded 1,000-result limit; the OAS names `invalid` among search errors).
    #[error("invalid search: {0}")]
    InvalidSearch(String),
}

impl ApiError {
    /// 422 RecordInvalid with one detail: `record_invalid("status", "Status: closed prevents ticket update")`.
    pub fn record_invalid(field: &str, description: impl Into<String>) -> Self {
        Self::RecordInvalid(vec![(
            field.to_owned(),
            Detail {
                description: description.into(),
                error: None,
                kind: None,
            },
        )])
    }

    /// 422 RecordInvalid whose detail also carries an `error` code (e.g. `DuplicateValue`).
    pub fn record_invalid_coded(field: &str, description: impl Into<String>, code: &str) -> Self {
        Self::RecordInvalid(vec![(
            field.to_owned(),
            Detail {
                description: description.into(),
                error: Some(code.to_owned()),
                kind: None,
            },
        )])
    }

    /// The recorded TooManyValues body for generic bulk endpoints: the parameter name is blank
    /// in Zendesk's own message, hence the double space (facts §2).
    pub fn too_many_values() -> Self {
        Self::TooManyValues {
            description: "Parameter  cannot specify more than 100 values".to_owned(),
            max_count: Some(100),
        }
    }

    /// 400 for a parameter whose value cannot be used.
    pub fn invalid_parameter(description: impl Into<String>) -> Self {
        Self::BadRequest {
            error: "InvalidParameter",
            description: description.into(),
        }
    }

    /// 400 for a request body that is not the JSON the endpoint takes.
    pub fn invalid_json(description: impl Into<String>) -> Self {
        Self::BadRequest {
            error: "InvalidJSON",
            description: description.into(),
        }
    }

    /// 400 `{"errors":[{"code":"InvalidPaginationParameter","title":...}]}` — the JSON:API-style
    /// body Zendesk's cursor pagination answers with (developer docs, trigger_categories).
    pub fn invalid_pagination(title: impl Into<String>) -> Self {
        Self::InvalidPagination(title.into())
    }

    /// 422 for a search Zendesk refuses; `reason` follows "Invalid search: ".
    pub fn invalid_search(reason: impl Into<String>) -> Self {
        Self::InvalidSearch(reason.into())
    }

    /// The recorded refusal of a search page beyond the first 1,000 results (zenpy#371).
    pub fn search_response_limit() -> Self {
        Self::invalid_search("Requested response size was greater than Search Response Limits")
    }

    /// 400 ParameterMissing: the body lacks the resource key (`{"user":...}`). Wording after
    /// Rails' ActionController::ParameterMissing, which Zendesk runs on (INFERRED).
    pub fn parameter_missing(key: &str) -> Self {
        Self::BadRequest {
            error: "ParameterMissing",
            description: format!("param is missing or the value is empty: {key}"),
        }
    }

    /// One line for places that report errors as text (job result `details`).
    pub fn summary(&self) -> String {
        match self {
            Self::RecordInvalid(details) => details
                .iter()
                .map(|(_, d)| d.description.clone())
                .collect::<Vec<_>>()
                .join(" "),
            other => {
                let body = other.body();
                body["description"]
                    .as_str()
                    .or(body["error"].as_str())
                    .unwrap_or("Error")
                    .to_owned()
            }
        }
    }

    /// HTTP status Zendesk answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::RecordNotFound | Self::InvalidEndpoint => StatusCode::NOT_FOUND,
            Self::CouldNotAuthenticate | Self::InvalidToken => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::TooManyValues { .. } | Self::BadRequest { .. } | Self::InvalidPagination(_) => {
                StatusCode::BAD_REQUEST
            }
            Self::RecordInvalid(_) | Self::InvalidSearch(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Conflict => StatusCode::CONFLICT,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    /// The JSON body, exactly as Zendesk writes it.
    pub fn body(&self) -> Value {
        match self {
            Self::RecordNotFound => json!({"error": "RecordNotFound", "description": "Not found"}),
            Self::InvalidEndpoint => {
                json!({"error": "InvalidEndpoint", "description": "Not found"})
            }
            Self::CouldNotAuthenticate => json!({"error": "Couldn't authenticate you"}),
            Self::InvalidToken => json!({
                "error": "invalid_token",
                "error_description": "The access token provided is expired, revoked, malformed or invalid for other reasons."
            }),
            // The text is recorded (zenpy#336); the key `description` is inferred (facts §2).
            Self::Forbidden => json!({
                "error": "Forbidden",
                "description": "You do not have access to this page. Please contact the account owner of this help desk for further help."
            }),
            Self::TooManyValues {
                description,
                max_count,
            } => {
                let mut body = json!({"error": "TooManyValues", "description": description});
                if let Some(max) = max_count {
                    body["max_count"] = json!(max);
                }
                body
            }
            Self::RecordInvalid(details) => {
                let mut map = serde_json::Map::new();
                for (field, detail) in details {
                    let entry = map.entry(field.clone()).or_insert_with(|| json!([]));
                    if let Value::Array(items) = entry {
                        items.push(json!(detail));
                    }
                }
                json!({"error": "RecordInvalid", "description": "Record validation errors", "details": map})
            }
            Self::BadRequest { error, description } => {
                json!({"error": error, "description": description})
            }
            // Body not in the facts sheet; wording from Zendesk's safe-update docs (INFERRED).
            Self::Conflict => json!({
                "error": "UpdateConflict",
                "description": "Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again.",
                "details": {}
            }),
            // Not JSON on the wire; see `into_response`. The text, for reports and job items.
            Self::TooManyRequests { limit, .. } => json!({
                "error": "TooManyRequests",
                "description": limit.text(),
            }),
            Self::InvalidPagination(title) => {
                json!({"errors": [{"code": "InvalidPaginationParameter", "title": title}]})
            }
            Self::InvalidSearch(reason) => {
                json!({"error": "invalid", "description": format!("Invalid search: {reason}")})
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::TooManyRequests { retry_after, limit } = self {
            let (content_type, text) = (limit.content_type(), limit.text());
            let mut response = (StatusCode::TOO_MANY_REQUESTS, text).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            if let Ok(value) = HeaderValue::from_str(&retry_after.max(1).to_string()) {
                headers.insert(header::RETRY_AFTER, value);
            }
            return response;
        }
        let mut response = (self.status(), axum::Json(self.body())).into_response();
        if self == Self::CouldNotAuthenticate {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"Web Password\""),
            );
        }
        response
    }
}

/// Result alias used across the crate.
pub type ApiResult<T> = Result<T, ApiError>;
