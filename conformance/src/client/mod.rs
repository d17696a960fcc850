//! A typed Zendesk client over reqwest, covering every endpoint the mock serves: the checks,
//! the model runner and the scenario runner all drive a target through it.
//!
//! Every call answers a [`Reply`] — the request that was sent, the status, the headers and the
//! body as JSON — whatever the status: a 422 is an answer to assert on, not an error. Only a
//! transport failure (nothing came back) is a [`ClientError`]. Helpers that need a particular
//! answer to go on ([`Client::wait_for_job`], [`Client::collect_pages`]) say what they got
//! instead when it is not there.
//!
//! One file per resource, each adding methods to [`Client`]: [`users`], [`identities`],
//! [`deleted_users`], [`tickets`], [`comments`], [`redactions`], [`attachments`],
//! [`deleted_tickets`], [`suspended_tickets`], [`requests`], [`job_statuses`], [`search`],
//! [`incremental`], then [`pagination`] and [`control`] (the mock's `/__mock` API, not
//! Zendesk's).

pub mod attachments;
pub mod comments;
pub mod control;
pub mod deleted_tickets;
pub mod deleted_users;
pub mod identities;
pub mod incremental;
pub mod job_statuses;
pub mod pagination;
pub mod redactions;
pub mod requests;
pub mod search;
pub mod suspended_tickets;
pub mod tickets;
pub mod users;

pub use control::MockAccount;

use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::fmt;
use std::time::Duration;

/// How a request authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// No `Authorization` header.
    Anonymous,
    /// `Basic base64("{email}/token:{token}")`: Zendesk's API-token form. The token is the
    /// account's; the email chooses whose role the request has.
    ApiToken { email: String, token: String },
    /// `Bearer {token}`: an OAuth token, or the mock's server-wide control token.
    Bearer(String),
}

/// A transport failure, or an answer a helper could not go on from.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Nothing usable came back (connection refused, reset, timed out).
    #[error("{request}: no answer: {source}")]
    Transport {
        request: String,
        #[source]
        source: reqwest::Error,
    },
    /// The server answered, but not what the helper needed to go on.
    #[error("{message}; got {reply}")]
    Unexpected { message: String, reply: Box<Reply> },
    /// A helper waited longer than it allows (a job that never completes).
    #[error("{0}")]
    Timeout(String),
}

impl ClientError {
    /// An answer that was not what `message` needed.
    pub fn unexpected(message: impl Into<String>, reply: &Reply) -> Self {
        Self::Unexpected {
            message: message.into(),
            reply: Box::new(reply.clone()),
        }
    }
}

/// The result of a client call.
pub type ClientResult<T> = Result<T, ClientError>;

/// One HTTP answer, with the request it answers (for failure messages).
#[derive(Debug, Clone)]
pub struct Reply {
    /// `METHOD URL`, as sent.
    pub request: String,
    /// The JSON body sent, if any.
    pub request_body: Option<Value>,
    pub status: u16,
    pub headers: HeaderMap,
    /// The body parsed as JSON; `Value::Null` when empty or not JSON (see [`Self::text`]).
    pub body: Value,
    /// The body as text.
    pub text: String,
}

impl Reply {
    /// The value at a JSON pointer (`/user/id`), or `Null` when absent.
    pub fn at(&self, pointer: &str) -> &Value {
        self.body.pointer(pointer).unwrap_or(&Value::Null)
    }

    /// The integer at a JSON pointer, when there is one.
    pub fn id_at(&self, pointer: &str) -> Option<i64> {
        self.at(pointer).as_i64()
    }

    /// The integer at a JSON pointer, or [`ClientError::Unexpected`] naming the pointer.
    pub fn require_id(&self, pointer: &str) -> ClientResult<i64> {
        self.id_at(pointer)
            .ok_or_else(|| ClientError::unexpected(format!("expected an id at {pointer}"), self))
    }

    /// A header's value as text (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// This reply when its status is `status`, else [`ClientError::Unexpected`].
    pub fn expect_status(self, status: u16, what: &str) -> ClientResult<Self> {
        if self.status == status {
            Ok(self)
        } else {
            Err(ClientError::unexpected(
                format!("{what}: expected status {status}"),
                &self,
            ))
        }
    }

    /// The body, shortened to `max` characters for messages.
    pub fn body_snippet(&self, max: usize) -> String {
        let text = if self.body.is_null() {
            self.text.clone()
        } else {
            self.body.to_string()
        };
        if text.chars().count() <= max {
            text
        } else {
            let cut: String = text.chars().take(max).collect();
            format!("{cut}…")
        }
    }
}

impl fmt::Display for Reply {
    /// `PUT http://…/api/v2/tickets/1 → 422 {"error":…}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} → {} {}",
            self.request,
            self.status,
            self.body_snippet(400)
        )
    }
}

/// A Zendesk API client for one account and one identity.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    origin: String,
    auth: Auth,
}

impl Client {
    /// A client for `origin` (`https://acme.zendesk.com` or `http://127.0.0.1:8080`; a trailing
    /// `/` or `/api/v2` is dropped).
    pub fn new(origin: &str, auth: Auth) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap_or_default();
        Self {
            http,
            origin: normalize_origin(origin),
            auth,
        }
    }

    /// The same server and connection pool, another identity.
    pub fn with_auth(&self, auth: Auth) -> Self {
        Self {
            http: self.http.clone(),
            origin: self.origin.clone(),
            auth,
        }
    }

    /// The same API token presented for another user's email: Zendesk API tokens are
    /// account-wide, so this acts with that user's role. Without a token, anonymous.
    pub fn as_user(&self, email: &str) -> Self {
        match &self.auth {
            Auth::ApiToken { token, .. } => self.with_auth(Auth::ApiToken {
                email: email.to_owned(),
                token: token.clone(),
            }),
            _ => self.with_auth(Auth::Anonymous),
        }
    }

    /// `scheme://host[:port]`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// How this client authenticates.
    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// The absolute URL of an API path: `users/1` → `{origin}/api/v2/users/1`.
    pub fn api_url(&self, path: &str) -> String {
        format!("{}/api/v2/{}", self.origin, path.trim_start_matches('/'))
    }

    /// Sends a request to `path` (relative to `/api/v2/`, or absolute — starting with `/` for
    /// a path on the origin, or `http` for a full URL) and reads the whole answer.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Value>,
    ) -> ClientResult<Reply> {
        let url = if path.starts_with("http://") || path.starts_with("https://") {
            path.to_owned()
        } else if path.starts_with('/') {
            format!("{}{path}", self.origin)
        } else {
            self.api_url(path)
        };
        let mut request = self
            .http
            .request(method.clone(), &url)
            .query(query)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = &body {
            request = request.json(body);
        }
        self.execute(request, describe(&method, &url, query), body)
            .await
    }

    /// Adds the credentials, sends, and reads the whole answer.
    async fn execute(
        &self,
        request: reqwest::RequestBuilder,
        shown: String,
        body: Option<Value>,
    ) -> ClientResult<Reply> {
        let request = match &self.auth {
            Auth::Anonymous => request,
            Auth::ApiToken { email, token } => {
                request.basic_auth(format!("{email}/token"), Some(token))
            }
            Auth::Bearer(token) => request.bearer_auth(token),
        };
        let transport = |source| ClientError::Transport {
            request: shown.clone(),
            source,
        };
        let response = request.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.map_err(transport)?;
        Ok(Reply {
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            request: shown,
            request_body: body,
            status,
            headers,
            text,
        })
    }

    /// `GET path?query`.
    pub async fn get(&self, path: &str, query: &[(&str, String)]) -> ClientResult<Reply> {
        self.send(Method::GET, path, query, None).await
    }

    /// `POST path` with a JSON body.
    pub async fn post(&self, path: &str, body: Value) -> ClientResult<Reply> {
        self.send(Method::POST, path, &[], Some(body)).await
    }

    /// `PUT path` with a JSON body.
    pub async fn put(&self, path: &str, body: Value) -> ClientResult<Reply> {
        self.send(Method::PUT, path, &[], Some(body)).await
    }

    /// `DELETE path`, no body.
    pub async fn delete(&self, path: &str) -> ClientResult<Reply> {
        self.send(Method::DELETE, path, &[], None).await
    }

    /// Raw bytes to `POST path?query` (uploads): the body is not JSON.
    pub async fn post_bytes(
        &self,
        path: &str,
        query: &[(&str, String)],
        content_type: &str,
        bytes: Vec<u8>,
    ) -> ClientResult<Reply> {
        let url = self.api_url(path);
        let request = self
            .http
            .post(&url)
            .query(query)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(bytes);
        self.execute(request, describe(&Method::POST, &url, query), None)
            .await
    }
}

/// Comma-joined ids for `ids=` parameters.
pub fn join_ids<T: ToString>(ids: &[T]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// `scheme://host[:port]` from a URL that may end in `/` or `/api/v2`.
pub fn normalize_origin(url: &str) -> String {
    let trimmed = url.trim().trim_end_matches('/');
    let trimmed = trimmed.strip_suffix("/api/v2").unwrap_or(trimmed);
    trimmed.trim_end_matches('/').to_owned()
}

fn describe(method: &Method, url: &str, query: &[(&str, String)]) -> String {
    if query.is_empty() {
        format!("{method} {url}")
    } else {
        let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("{method} {url}?{}", query.join("&"))
    }
}
