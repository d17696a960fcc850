//! The HTTP layer: state, the router, and the pieces every request passes through.
//!
//! A request flows: `.json` suffix stripped ([`strip_json_suffix`], before routing, because
//! axum 0.8 rejects `/{id}.json` segments) → [`context::context`] middleware (account, caller,
//! journal, rate-limit headers) → injected faults ([`faults::faults`]) → the resource handler
//! in [`crate::api`] or [`crate::control`] → the domain in [`crate::store`] → a view in
//! [`crate::views`].

pub mod context;
pub mod extract;
pub mod faults;
pub mod limits;
pub mod pagination;
pub mod respond;

use crate::error::ApiError;
use crate::store::Registry;
use axum::Router;
use axum::extract::Request;
use axum::http::Uri;
use std::sync::Arc;

/// Server-wide configuration.
#[derive(Debug, Clone, Default)]
pub struct ServerConfig {
    /// When set, `Authorization: Bearer <token>` grants control-API access to any account, and
    /// is required for the account collection calls.
    pub control_token: Option<String>,
}

/// Shared state: every handler's `State<AppState>`.
#[derive(Debug, Clone)]
pub struct AppState {
    pub registry: Arc<Registry>,
    pub config: Arc<ServerConfig>,
}

/// The router for the Zendesk API and the control API, with the context middleware. Call
/// [`strip_json_suffix`] around it (as [`crate::app`] does) before serving.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(crate::api::routes())
        .merge(crate::control::routes())
        .fallback(invalid_endpoint)
        .method_not_allowed_fallback(invalid_endpoint)
        // Inside the context layer: faults need its account, and it journals what they did.
        .layer(axum::middleware::from_fn(faults::faults))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            context::context,
        ))
        .with_state(state)
}

/// Unknown routes and wrong methods: Zendesk's 404 InvalidEndpoint (recorded: zendesk-java-client#111).
async fn invalid_endpoint() -> ApiError {
    ApiError::InvalidEndpoint
}

/// Removes one trailing `.json` from the path, remembering the original for links and the
/// journal. Every Zendesk endpoint takes the path with or without it (facts §1).
pub fn strip_json_suffix(mut request: Request) -> Request {
    let path = request.uri().path().to_owned();
    if let Some(stripped) = path.strip_suffix(".json") {
        let rebuilt = match request.uri().query() {
            Some(query) => format!("{stripped}?{query}"),
            None => stripped.to_owned(),
        };
        if let Ok(path_and_query) = rebuilt.parse() {
            let mut parts = request.uri().clone().into_parts();
            parts.path_and_query = Some(path_and_query);
            if let Ok(uri) = Uri::from_parts(parts) {
                *request.uri_mut() = uri;
            }
        }
    }
    request.extensions_mut().insert(context::OriginalPath(path));
    request
}
