//! `GET /__mock/openapi.json`: the control API described as OpenAPI 3.0, for humans and for
//! generated clients. Served without credentials — it is documentation.

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

/// The document, kept beside this file and checked by the tests against the routes.
pub const DOCUMENT: &str = include_str!("openapi.json");

/// GET /__mock/openapi.json — this API, described.
pub async fn show_openapi() -> Response {
    ([(CONTENT_TYPE, "application/json")], DOCUMENT).into_response()
}
