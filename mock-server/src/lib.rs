//! # zendesk-mock
//!
//! A Zendesk-compatible mock server for testing privacy tooling: soft and permanent deletes,
//! identities, bulk jobs, pagination and error bodies behave as Zendesk's do, per account, in
//! memory, over real HTTP.
//!
//! ## A tour, in reading order
//!
//! - [`error`] — the one error type; every failure renders as Zendesk's JSON error body.
//! - [`store`] — the domain: a [`store::Registry`] of accounts, each behind one read-write lock, and the
//!   rules (users, identities, deletion, jobs, authentication, events, journal, seeds).
//! - [`http`] — request flow: `.json` stripping, account resolution and authentication,
//!   extractors that reject bad input the Zendesk way, pagination.
//! - [`api`] — the Zendesk API, one module per resource (users, identities, deleted users,
//!   job statuses); handlers only parse, call the store, and render.
//! - [`views`] — JSON shapes of each resource, in the live key order.
//! - [`control`] — the `/__mock` control API: accounts, seed, reset, settings, journal, events,
//!   snapshots.
//! - [`MockServer`] — the mock for Rust tests: a server on a random port per test, stopped on
//!   drop, with the control operations as methods that go straight to the store.
//!
//! ## Example
//!
//! A test starts a [`MockServer`], drives it over HTTP as the owner admin, and asks the store
//! what is left: here, an erasure of a seeded user leaves no trace of them.
//!
//! ```
//! use serde_json::{Value, json};
//! use zendesk_mock::MockServer;
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), reqwest::Error> {
//!     let server = MockServer::builder()
//!         .world(json!({"users": [{"name": "Jane Roe", "email": "jane@example.org"}]}))
//!         .start()
//!         .await;
//!     let http = reqwest::Client::new();
//!     let admin = |request: reqwest::RequestBuilder| {
//!         let user = format!("{}/token", server.admin_email());
//!         request.basic_auth(user, Some(server.admin_token()))
//!     };
//!
//!     let url = format!("{}/users/search", server.api_url());
//!     let search = admin(http.get(url).query(&[("query", "jane@example.org")]));
//!     let found: Value = search.send().await?.json().await?;
//!     let id = &found["users"][0]["id"];
//!     for path in [format!("users/{id}"), format!("deleted_users/{id}")] {
//!         let url = format!("{}/{path}", server.api_url());
//!         admin(http.delete(url)).send().await?.error_for_status()?;
//!     }
//!
//!     assert_eq!(server.residue(&["jane@example.org", "Jane Roe"]), vec![]);
//!     Ok(())
//! }
//! ```
//!
//! Without the helper, as the binary does: build the state, bind, serve until a shutdown signal.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let state = zendesk_mock::build_state(&zendesk_mock::Options::default()).expect("demo account");
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! println!("listening on http://{}", listener.local_addr()?);
//! zendesk_mock::serve(listener, state, std::future::pending()).await
//! # }
//! ```

pub mod api;
pub mod control;
pub mod demo;
pub mod error;
pub mod http;
pub mod store;
pub mod views;

mod mock_server;

pub use error::{ApiError, ApiResult};
pub use http::{AppState, ServerConfig};
pub use mock_server::{MockServer, MockServerBuilder};

use axum::Router;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use store::{Limits, OwnerSpec, Registry};
use tokio::net::TcpListener;

/// How to start a server.
#[derive(Debug, Clone)]
pub struct Options {
    /// Create the embedded demo account (the default account).
    pub demo: bool,
    /// The demo owner's email and API token.
    pub demo_owner: OwnerSpec,
    /// A world (JSON) to seed into the default account after the demo data.
    pub seed: Option<serde_json::Value>,
    pub control_token: Option<String>,
    pub limits: Limits,
    /// The state file (`--state`): when it exists, its accounts replace the demo and the seed;
    /// `Registry::save_to` writes it (shutdown, `POST /__mock/snapshot/save`).
    pub state_file: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            demo: true,
            demo_owner: OwnerSpec {
                name: "Demo Admin".to_owned(),
                email: "admin@example.com".to_owned(),
                token: "demo-token".to_owned(),
            },
            seed: None,
            control_token: None,
            limits: Limits::default(),
            state_file: None,
        }
    }
}

/// Builds the server state: every account of the state file when there is one; otherwise the
/// demo account (unless disabled) seeded with its world, then the optional seed file. Without
/// the demo, `seed` needs an account: one named `default` is made with the demo owner's
/// credentials. A state file that cannot be loaded is an error naming the file and the reason.
pub fn build_state(options: &Options) -> ApiResult<AppState> {
    let mut registry = Registry::new(options.limits);
    let mut loaded = None;
    if let Some(path) = &options.state_file {
        registry = registry.with_state_file(path.clone());
        loaded = store::snapshot::load(path).map_err(|e| ApiError::invalid_json(e.to_string()))?;
    }
    let registry = Arc::new(registry);
    if let (Some(snapshot), Some(path)) = (loaded, &options.state_file) {
        registry.restore(snapshot).map_err(|e| {
            let reason = e.summary();
            ApiError::invalid_json(format!(
                "cannot load state file {}: {reason}",
                path.display()
            ))
        })?;
    } else if options.demo || options.seed.is_some() {
        let subdomain = if options.demo {
            demo::SUBDOMAIN
        } else {
            "default"
        };
        let account = registry.create_account(subdomain, &options.demo_owner)?;
        let mut worlds = Vec::new();
        if options.demo {
            worlds.push(demo::world());
        }
        worlds.extend(options.seed.clone());
        for world in worlds {
            let world = store::seed::World::from_json(world)?;
            let old: Vec<String> = account.read(|d| d.api_tokens().to_vec());
            account.write(|data| data.seed(&world))?;
            registry.reindex_tokens(&account, &old);
        }
        account.write(|data| data.clear_events());
    }
    Ok(AppState {
        registry,
        config: Arc::new(ServerConfig {
            control_token: options.control_token.clone(),
        }),
    })
}

/// The whole application: `.json` stripping in front of the router (it must run before routing).
pub fn app(state: AppState) -> Router {
    let inner = tower::ServiceExt::map_request(http::router(state), http::strip_json_suffix);
    Router::new().fallback_service(inner)
}

/// Serves `app(state)` on `listener` until `shutdown` resolves, then finishes in-flight requests.
/// Jobs a loaded state file left unfinished resume first, as their accounts' job modes say.
/// Once a minute every account runs what fell due on its running clock (30-day purges and the
/// like, `store::lifecycle`); a test moves a clock through the control API instead of waiting.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let registry = state.registry.clone();
    for account in registry.accounts() {
        store::snapshot::resume_jobs(&account);
    }
    let ticker = tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(60));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            for account in registry.accounts() {
                account.write(|data| data.catch_up());
            }
        }
    });
    let served = axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await;
    ticker.abort();
    served
}
