//! [`Target`]: the server under test — where it is, whose credentials to use, and whether it
//! has the mock's control API (`/__mock`). A real Zendesk has none: checks that need it skip.

use crate::client::{Auth, Client, ClientResult};
use std::sync::Arc;
use zendesk_mock::MockServer;

/// The environment variable [`Target::from_flags_or_env`] reads for the URL.
pub const ENV_URL: &str = "ZENDESK_URL";
/// The email whose role the checks act with (an admin's).
pub const ENV_EMAIL: &str = "ZENDESK_EMAIL";
/// The account's API token.
pub const ENV_TOKEN: &str = "ZENDESK_TOKEN";

/// Why a target cannot be built.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TargetError {
    #[error("no target URL: pass --target or set {ENV_URL}")]
    MissingUrl,
    #[error("no credentials for {0}: pass --email and --token or set {ENV_EMAIL} and {ENV_TOKEN}")]
    MissingCredentials(String),
    #[error("`{0}` is not an http(s) URL")]
    BadUrl(String),
}

/// The server under test.
#[derive(Debug, Clone)]
pub struct Target {
    /// `scheme://host[:port]`, without `/api/v2`.
    pub base_url: String,
    /// The admin email the checks act as.
    pub email: String,
    /// The account's API token.
    pub token: String,
    /// Whether the mock's control API is there (fresh accounts, clock, residue, …).
    pub control: bool,
    /// The mock's server-wide control token (`--control-token`), when it was started with one:
    /// needed to create accounts then.
    pub control_token: Option<String>,
    /// The in-process server, kept alive as long as any clone of this target.
    server: Option<Arc<MockServer>>,
}

impl Target {
    /// A target at `url` (an origin; a trailing `/api/v2` is dropped) acting as `email` with
    /// the API token `token`. Control is off until [`Self::with_control`] or
    /// [`Self::detect_control`] says otherwise.
    pub fn new(url: &str, email: &str, token: &str) -> Result<Self, TargetError> {
        let base_url = crate::client::normalize_origin(url);
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(TargetError::BadUrl(url.to_owned()));
        }
        Ok(Self {
            base_url,
            email: email.to_owned(),
            token: token.to_owned(),
            control: false,
            control_token: None,
            server: None,
        })
    }

    /// A target from flags, falling back to `ZENDESK_URL`, `ZENDESK_EMAIL`, `ZENDESK_TOKEN`.
    pub fn from_flags_or_env(
        url: Option<&str>,
        email: Option<&str>,
        token: Option<&str>,
    ) -> Result<Self, TargetError> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let url = url.map(str::to_owned).or_else(|| env(ENV_URL));
        let url = url.ok_or(TargetError::MissingUrl)?;
        let email = email.map(str::to_owned).or_else(|| env(ENV_EMAIL));
        let token = token.map(str::to_owned).or_else(|| env(ENV_TOKEN));
        match (email, token) {
            (Some(email), Some(token)) => Self::new(&url, &email, &token),
            _ => Err(TargetError::MissingCredentials(url)),
        }
    }

    /// A fresh mock server in this process (no demo data), on a random loopback port, with its
    /// control API. It runs on the current tokio runtime until the last clone is dropped.
    pub async fn in_process() -> Self {
        let server = MockServer::builder().demo(false).start().await;
        Self::for_server(Arc::new(server))
    }

    /// A target for a running [`MockServer`] (control on), which it keeps alive.
    pub fn for_server(server: Arc<MockServer>) -> Self {
        Self {
            base_url: server.url().to_owned(),
            email: server.admin_email().to_owned(),
            token: server.admin_token().to_owned(),
            control: true,
            control_token: None,
            server: Some(server),
        }
    }

    /// The in-process server, when this target is one.
    pub fn server(&self) -> Option<&MockServer> {
        self.server.as_deref()
    }

    /// Sets whether the control API is used.
    pub fn with_control(mut self, control: bool) -> Self {
        self.control = control;
        self
    }

    /// Sets the mock's server-wide control token.
    pub fn with_control_token(mut self, token: Option<String>) -> Self {
        self.control_token = token;
        self
    }

    /// Asks the server whether it is the mock (`GET /__mock/openapi.json`) and sets
    /// [`Self::control`] accordingly; returns it.
    pub async fn detect_control(&mut self) -> ClientResult<bool> {
        self.control = self.client().has_control_api().await?;
        Ok(self.control)
    }

    /// A client acting as the target's admin.
    pub fn client(&self) -> Client {
        Client::new(
            &self.base_url,
            Auth::ApiToken {
                email: self.email.clone(),
                token: self.token.clone(),
            },
        )
    }

    /// A client for server-wide control calls (creating accounts): the control token when
    /// there is one, else the admin's credentials (the mock needs none then).
    pub fn control_client(&self) -> Client {
        match &self.control_token {
            Some(token) => self.client().with_auth(Auth::Bearer(token.clone())),
            None => self.client(),
        }
    }
}
