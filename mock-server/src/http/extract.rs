//! Extractors that turn every malformed input into Zendesk's error body instead of axum's
//! plain-text rejections: query strings, path ids, JSON bodies, comma-separated id lists.

use crate::error::{ApiError, ApiResult};
use crate::store::Id;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The query string as ordered pairs, percent-decoded (`page%5Bsize%5D` → `page[size]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses a query string. Malformed percent-escapes and escapes that decode to invalid
    /// UTF-8 are a 400, as Rack answers "invalid %-encoding" (INFERRED for Zendesk), rather than
    /// being decoded leniently into a different value than the client meant.
    pub fn parse(query: Option<&str>) -> ApiResult<Self> {
        let query = query.unwrap_or("");
        if !well_encoded(query) {
            return Err(ApiError::invalid_parameter(
                "The query string has invalid %-encoding",
            ));
        }
        serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .map(Self)
            .map_err(|_| ApiError::invalid_parameter("The query string is not valid"))
    }

    /// The last value given for `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, `name[]` included, with commas splitting values.
    pub fn all(&self, name: &str) -> Vec<String> {
        let bracketed = format!("{name}[]");
        self.0
            .iter()
            .filter(|(k, _)| *k == name || *k == bracketed)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// A comma-separated list parameter of at most 100 values (facts §2: 400 TooManyValues).
    pub fn list(&self, name: &str) -> ApiResult<Option<Vec<String>>> {
        let Some(raw) = self.get(name) else {
            return Ok(None);
        };
        let values: Vec<String> = raw
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect();
        if values.len() > 100 {
            return Err(ApiError::too_many_values());
        }
        Ok(Some(values))
    }

    /// Like [`Params::list`], every value an id. A value that is not one is a 400 (INFERRED).
    pub fn id_list(&self, name: &str) -> ApiResult<Option<Vec<Id>>> {
        let Some(values) = self.list(name)? else {
            return Ok(None);
        };
        values
            .iter()
            .map(|v| {
                v.parse::<Id>().map_err(|_| {
                    ApiError::invalid_parameter(format!(
                        "{name} must be a comma-separated list of ids, not `{v}`"
                    ))
                })
            })
            .collect::<ApiResult<Vec<Id>>>()
            .map(Some)
    }

    /// A boolean flag (`true`/`1`).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some("true" | "1"))
    }
}

/// Every `%` starts a two-hex-digit escape, and each `&`/`=`-separated piece decodes to UTF-8.
fn well_encoded(query: &str) -> bool {
    query.split(['&', '=']).all(|piece| {
        let bytes = piece.as_bytes();
        let mut decoded = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => decoded.push(byte),
                    None => return false,
                }
                i += 3;
            } else {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(decoded).is_ok()
    })
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> ApiResult<Self> {
        Self::parse(parts.uri.query())
    }
}

/// Parses a path segment as a record id. Anything else — words, negative numbers, ids past
/// int64 — names no record: 404 RecordNotFound, as Rails' `find` answers (INFERRED).
pub fn parse_id(text: &str) -> ApiResult<Id> {
    text.parse::<Id>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(ApiError::RecordNotFound)
}

/// `N` numeric path parameters, in route order.
#[derive(Debug, Clone, Copy)]
pub struct Ids<const N: usize>(pub [Id; N]);

impl<S: Send + Sync, const N: usize> FromRequestParts<S> for Ids<N> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        let Path(raw) = Path::<Vec<String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::RecordNotFound)?;
        let mut ids = [0; N];
        if raw.len() != N {
            return Err(ApiError::InvalidEndpoint);
        }
        for (slot, text) in ids.iter_mut().zip(&raw) {
            *slot = parse_id(text)?;
        }
        Ok(Self(ids))
    }
}

/// A JSON request body. Zendesk requires `Content-Type: application/json` on bodies; a body of
/// another type, or JSON that does not parse or does not fit, is a 400 with a readable
/// description (INFERRED shape; facts §2 records no body for these). An empty body reads as `{}`
/// so that body-less PUTs (`make_primary`, `verify`) and JSON DELETE bodies both work.
#[derive(Debug, Clone)]
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> ApiResult<Self> {
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase);
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| {
                ApiError::invalid_json(format!("The request body could not be read: {e}"))
            })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return from_value(Value::Object(serde_json::Map::new()));
        }
        if !content_type.as_deref().is_some_and(|t| t.contains("json")) {
            return Err(ApiError::invalid_json(
                "Content-Type must be application/json",
            ));
        }
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::invalid_json(format!("The request body is not valid JSON: {e}"))
        })?;
        from_value(value)
    }
}

fn from_value<T: DeserializeOwned>(value: Value) -> ApiResult<Body<T>> {
    serde_json::from_value(value).map(Body).map_err(|e| {
        ApiError::invalid_json(format!(
            "The request body does not have the expected shape: {e}"
        ))
    })
}
