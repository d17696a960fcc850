//! [`MockServer`]: the mock for Rust tests. One call starts a server in-process on a random
//! loopback port (one per test, so tests never share accounts) and hands back its URL, the
//! owner admin's credentials and the control operations ([`control`]), which go straight to the
//! store instead of through `/__mock`. Dropping it stops the server.
//!
//! Two ways to run it: [`MockServerBuilder::start`] spawns the server on the caller's tokio
//! runtime (async tests); [`MockServerBuilder::start_blocking`] gives it a runtime of its own on
//! a thread, so a plain `#[test]` of a synchronous client can use it.

mod control;

use crate::http::{AppState, ServerConfig};
use crate::store::clock::{Clock, parse_rfc3339};
use crate::store::{Account, JobMode, Limits, OwnerSpec, Registry};
use crate::{ApiResult, Options, demo, serve, store};
use serde_json::Value;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// How long requests still in flight when a blocking server is dropped may run on before they
/// are cut off: dropping joins the server thread, and a latency fault can hold a request for
/// minutes — a test's teardown must not wait that long.
const GRACE: Duration = Duration::from_secs(5);

/// A running mock server with one account, owned by a test. See the crate's front page for an
/// example.
///
/// The account is the demo account (subdomain `demo`, its users and identities) unless the
/// builder says otherwise; its owner admin is `admin@example.com` with API token `demo-token`
/// either way. The server stops when this value is dropped: it stops accepting connections
/// and finishes the requests in flight.
#[derive(Debug)]
#[must_use = "the server stops when dropped"]
pub struct MockServer {
    url: String,
    api_url: String,
    state: AppState,
    account: Arc<Account>,
    owner: OwnerSpec,
    stop: watch::Sender<bool>,
    /// The server's own thread ([`MockServerBuilder::start_blocking`]), joined on drop.
    thread: Option<JoinHandle<()>>,
}

/// How to start a [`MockServer`]: the world its account holds, its job mode, its clock.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct MockServerBuilder {
    worlds: Vec<Value>,
    demo: Option<bool>,
    job_mode: Option<JobMode>,
    clock: Option<String>,
}

impl MockServer {
    /// Starts a server with the demo account on the current tokio runtime.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime, or when no loopback port can be bound.
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    /// A builder, to choose the account's world, job mode or clock.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `http://127.0.0.1:PORT/api/v2`, the base of the Zendesk API.
    pub fn api_url(&self) -> &str {
        &self.api_url
    }

    /// The owner admin's email: with [`Self::admin_token`], Basic auth as `EMAIL/token:TOKEN`.
    pub fn admin_email(&self) -> &str {
        &self.owner.email
    }

    /// The account's API token.
    pub fn admin_token(&self) -> &str {
        &self.owner.token
    }

    /// The account's subdomain: `demo`, or `default` for an account built from a world alone.
    /// Requests need not name it: the server's only account is its default account.
    pub fn subdomain(&self) -> &str {
        &self.account.subdomain
    }

    /// The server's state (the registry of accounts), for what the methods here do not cover.
    pub fn state(&self) -> &AppState {
        &self.state
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        // The serving task may be gone already (its runtime ended first): nothing to tell.
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            // A panic on the server thread was reported there; a second one here would abort.
            let _ = thread.join();
        }
    }
}

impl MockServerBuilder {
    /// Seeds the account with `world` (the document `POST /__mock/seed` takes), after the demo
    /// world if there is one. Called more than once, the worlds load in order. Without
    /// [`Self::demo`]`(true)`, a world replaces the demo: the account (subdomain `default`)
    /// holds only its owner admin and the world.
    pub fn world(mut self, world: Value) -> Self {
        self.worlds.push(world);
        self
    }

    /// Whether the account holds the demo world (default: yes, unless a world is given).
    pub fn demo(mut self, demo: bool) -> Self {
        self.demo = Some(demo);
        self
    }

    /// How bulk jobs complete (default [`JobMode::Background`]: within milliseconds). With
    /// [`JobMode::Manual`], [`MockServer::release_jobs`] runs the held jobs.
    pub fn job_mode(mut self, mode: JobMode) -> Self {
        self.job_mode = Some(mode);
        self
    }

    /// Freezes the account's clock at an RFC 3339 instant (`2024-01-01T00:00:00Z`) before the
    /// worlds load, so every timestamp the server writes is known in advance.
    /// [`MockServer::advance`] moves it on.
    pub fn clock(mut self, frozen_at: impl Into<String>) -> Self {
        self.clock = Some(frozen_at.into());
        self
    }

    /// Starts the server on the current tokio runtime; it serves until the [`MockServer`] is
    /// dropped (or the runtime ends).
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime, when no loopback port can be bound, on a clock that is not
    /// RFC 3339, or on a world the seed refuses (the message says which record and why).
    pub async fn start(self) -> MockServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let (server, stop) = self.build(listener.local_addr().expect("a bound address"));
        let state = server.state.clone();
        tokio::spawn(async move {
            if let Err(e) = serve(listener, state, stopped(stop)).await {
                tracing::error!(error = %e, "mock server failed");
            }
        });
        server
    }

    /// Starts the server on a runtime of its own, on its own thread, for tests without a
    /// runtime. Dropping the [`MockServer`] stops the server and joins the thread, cutting
    /// off after a few seconds requests still running then.
    ///
    /// # Panics
    ///
    /// As [`Self::start`] (without the need for a runtime), or when the thread cannot start.
    pub fn start_blocking(self) -> MockServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let (mut server, stop) = self.build(listener.local_addr().expect("a bound address"));
        let state = server.state.clone();
        let thread = std::thread::Builder::new()
            .name(format!("zendesk-mock {}", server.url))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a tokio runtime");
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(listener).expect("a tokio listener");
                    let cut_off = {
                        let stop = stop.clone();
                        async move {
                            stopped(stop).await;
                            tokio::time::sleep(GRACE).await;
                        }
                    };
                    tokio::select! {
                        served = serve(listener, state, stopped(stop)) => {
                            if let Err(e) = served {
                                tracing::error!(error = %e, "mock server failed");
                            }
                        }
                        () = cut_off => {}
                    }
                });
                // Dropping the runtime here cancels whatever the cut-off left running.
            })
            .expect("start the server thread");
        server.thread = Some(thread);
        server
    }

    /// The account and the server value around it; the receiver resolves on drop.
    fn build(self, address: std::net::SocketAddr) -> (MockServer, watch::Receiver<bool>) {
        let owner = Options::default().demo_owner;
        let demo = self.demo.unwrap_or(self.worlds.is_empty());
        let registry = Arc::new(Registry::new(Limits::default()));
        let subdomain = if demo { demo::SUBDOMAIN } else { "default" };
        let account = registry
            .create_account(subdomain, &owner)
            .expect("a fresh registry takes its first account");
        let frozen_at = self.clock.as_deref().map(|text| {
            parse_rfc3339(text).unwrap_or_else(|| panic!("clock `{text}` is not RFC 3339"))
        });
        account.write(|data| {
            if let Some(mode) = self.job_mode {
                data.settings.job_mode = mode;
            }
            if let Some(at) = frozen_at {
                data.clock = Clock::frozen(at);
            }
        });
        let worlds = demo.then(demo::world).into_iter().chain(self.worlds);
        for (index, world) in worlds.enumerate() {
            if let Err(e) = seed(&registry, &account, world) {
                panic!("world {index} was refused: {}", e.summary());
            }
        }
        // As `build_state` does: a test sees the events of what it did, not of the setup.
        account.write(|data| data.clear_events());
        let (stop, stopped) = watch::channel(false);
        let url = format!("http://{address}");
        let server = MockServer {
            api_url: format!("{url}/api/v2"),
            url,
            state: AppState {
                registry,
                config: Arc::new(ServerConfig::default()),
            },
            account,
            owner,
            stop,
            thread: None,
        };
        (server, stopped)
    }
}

/// Loads a world into an account as `POST /__mock/seed` does, keeping the token index in step.
fn seed(registry: &Registry, account: &Account, world: Value) -> ApiResult<Value> {
    let world = store::seed::World::from_json(world)?;
    let old_tokens: Vec<String> = account.read(|data| data.api_tokens().to_vec());
    let report = account.write(|data| data.seed(&world))?;
    registry.reindex_tokens(account, &old_tokens);
    Ok(report)
}

/// Resolves once the server is told to stop (or its [`MockServer`] is gone).
async fn stopped(mut stop: watch::Receiver<bool>) {
    // An error means the sender was dropped, which is a stop too.
    let _ = stop.wait_for(|stop| *stop).await;
}
