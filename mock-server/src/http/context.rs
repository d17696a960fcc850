//! Per-request context: which account (design.md "Account resolution"), who is calling, the
//! origin for absolute URLs; and, once the handler answered, the journal entry and the
//! rate-limit headers. Handlers get it through the [`Authed`], [`Viewer`] and [`Control`]
//! extractors.

use super::AppState;
use crate::error::{ApiError, ApiResult};
use crate::store::{Account, Caller, Credentials, journal::Entry};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, HOST};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::sync::Arc;
use std::time::Instant;

/// The path exactly as the client sent it, before the `.json` suffix was stripped.
#[derive(Debug, Clone)]
pub struct OriginalPath(pub String);

/// How authentication went.
#[derive(Debug, Clone)]
pub enum AuthOutcome {
    /// No `Authorization` header.
    Anonymous,
    Caller(Caller),
    /// The server-wide control token: full access to the control API of any account.
    ControlToken,
    Failed {
        error: ApiError,
        password: bool,
    },
}

/// Everything a handler needs to know about the request besides its inputs.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// `scheme://host[:port]` as the client addressed us.
    pub origin: String,
    pub path: String,
    pub account: Option<Arc<Account>>,
    pub auth: AuthOutcome,
}

/// Middleware: resolves the context, runs the handler, journals the request, adds headers.
pub async fn context(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let path = request
        .extensions()
        .get::<OriginalPath>()
        .map_or_else(|| request.uri().path().to_owned(), |p| p.0.clone());
    let query = request.uri().query().map(str::to_owned);
    let method = request.method().clone();
    let credentials = parse_authorization(request.headers());
    let account = resolve_account(
        &state,
        request.headers(),
        credentials.as_ref().and_then(|c| c.as_ref().ok()),
    );
    let auth = authenticate(
        &state,
        account.as_deref(),
        credentials,
        &method,
        request.uri().path(),
    );
    let context = RequestContext {
        origin: origin(request.headers()),
        path: path.clone(),
        account: account.clone(),
        auth,
    };
    let user_id = match &context.auth {
        AuthOutcome::Caller(caller) => Some(caller.user_id),
        _ => None,
    };
    let stripped = request.uri().path().to_owned();
    request.extensions_mut().insert(context);
    let verdict = account
        .as_deref()
        .and_then(|a| super::limits::check(a, method.as_str(), &stripped, user_id));
    let mut response = match super::limits::refusal(verdict.as_ref()) {
        Some(refused) => refused,
        None => next.run(request).await,
    };
    if let Some(verdict) = &verdict {
        super::limits::add_headers(&mut response, verdict);
    }
    let status = response.status().as_u16();
    tracing::debug!(
        account = account.as_ref().map(|a| a.subdomain.as_str()),
        method = %method,
        path = %path,
        status,
        duration_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    if let Some(account) = account {
        // Read once the handler has answered: every event up to it happened before the answer
        // (a job poll answered after the job's JobCompleted event read the finished job).
        let (now, events_seq) =
            account.read(|data| (data.now(), data.events.next_seq().saturating_sub(1)));
        account.journal().record(Entry {
            seq: 0,
            at: now,
            method: method.to_string(),
            path,
            query,
            status: response.status().as_u16(),
            user_id,
            duration_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            retry_after: response
                .headers()
                .get(axum::http::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok()),
            events_seq,
        });
    }
    response
}

/// Reads the `Authorization` header: `None` when absent, `Err` when present but unusable.
fn parse_authorization(headers: &HeaderMap) -> Option<ApiResult<Credentials>> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim().to_owned();
    let (scheme, rest) = value.split_once(' ').unwrap_or((value.as_str(), ""));
    let rest = rest.trim();
    Some(match scheme.to_ascii_lowercase().as_str() {
        "bearer" if !rest.is_empty() => Ok(Credentials::Bearer(rest.to_owned())),
        "bearer" => Err(ApiError::InvalidToken),
        "basic" => decode_basic(rest).ok_or(ApiError::CouldNotAuthenticate),
        _ => Err(ApiError::CouldNotAuthenticate),
    })
}

fn decode_basic(encoded: &str) -> Option<Credentials> {
    let decoded = String::from_utf8(STANDARD.decode(encoded).ok()?).ok()?;
    let (user, secret) = decoded.split_once(':')?;
    Some(match user.strip_suffix("/token") {
        Some(email) => Credentials::ApiToken {
            email: email.to_owned(),
            token: secret.to_owned(),
        },
        None => Credentials::Password {
            email: user.to_owned(),
            password: secret.to_owned(),
        },
    })
}

/// Host subdomain (a name of two or more labels: `acme.localhost:8080` → `acme`), else the
/// account owning the presented token, else the default account. An unknown subdomain falls
/// through to the token, so hosts like `zendesk-mock.internal` in a compose file still work.
fn resolve_account(
    state: &AppState,
    headers: &HeaderMap,
    credentials: Option<&Credentials>,
) -> Option<Arc<Account>> {
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let name = host.rsplit_once(':').map_or(host, |(name, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            name
        } else {
            host
        }
    });
    let is_ip = name.parse::<std::net::IpAddr>().is_ok() || name.starts_with('[');
    if !is_ip
        && let Some((label, _)) = name.split_once('.')
        && let Some(account) = state.registry.get(label)
    {
        return Some(account);
    }
    if let Some(account) = credentials
        .and_then(Credentials::token)
        .and_then(|t| state.registry.by_token(t))
    {
        return Some(account);
    }
    state.registry.default_account()
}

fn authenticate(
    state: &AppState,
    account: Option<&Account>,
    credentials: Option<ApiResult<Credentials>>,
    method: &Method,
    path: &str,
) -> AuthOutcome {
    let credentials = match credentials {
        None => return AuthOutcome::Anonymous,
        Some(Err(error)) => {
            return AuthOutcome::Failed {
                error,
                password: false,
            };
        }
        Some(Ok(credentials)) => credentials,
    };
    if let (Credentials::Bearer(token), Some(control)) = (&credentials, &state.config.control_token)
        && token == control
    {
        return AuthOutcome::ControlToken;
    }
    let password = matches!(credentials, Credentials::Password { .. });
    let Some(account) = account else {
        return AuthOutcome::Failed {
            error: ApiError::CouldNotAuthenticate,
            password,
        };
    };
    match account.read(|data| data.authenticate(&credentials)) {
        Ok(caller) => {
            let resource = path
                .trim_start_matches("/api/v2/")
                .split('/')
                .next()
                .unwrap_or("");
            let write = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
            if caller.scope_allows(resource, write) {
                AuthOutcome::Caller(caller)
            } else {
                AuthOutcome::Failed {
                    error: ApiError::Forbidden,
                    password,
                }
            }
        }
        Err(error) => AuthOutcome::Failed { error, password },
    }
}

/// `scheme://host` for absolute URLs, honouring `X-Forwarded-Proto` behind a proxy.
fn origin(headers: &HeaderMap) -> String {
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("http");
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

fn request_context(parts: &Parts) -> ApiResult<RequestContext> {
    parts
        .extensions
        .get::<RequestContext>()
        .cloned()
        .ok_or(ApiError::InvalidEndpoint)
}

/// An authenticated Zendesk API request.
#[derive(Debug, Clone)]
pub struct Authed {
    pub account: Arc<Account>,
    pub caller: Caller,
    pub origin: String,
    /// The path as sent, for pagination links.
    pub path: String,
}

impl Authed {
    /// Builds links to other pages of this request.
    pub fn links(&self, params: &super::extract::Params) -> super::pagination::Links {
        super::pagination::Links {
            origin: self.origin.clone(),
            path: self.path.clone(),
            params: params.clone(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> ApiResult<Self> {
        let context = request_context(parts)?;
        let account = context.account.ok_or(ApiError::CouldNotAuthenticate)?;
        let caller = match context.auth {
            AuthOutcome::Caller(caller) => caller,
            // The control token acts as the account owner on the Zendesk API too.
            AuthOutcome::ControlToken => account
                .read(|d| d.caller_for(d.owner_id))
                .ok_or(ApiError::CouldNotAuthenticate)?,
            AuthOutcome::Anonymous => return Err(ApiError::CouldNotAuthenticate),
            AuthOutcome::Failed { error, .. } => return Err(error),
        };
        Ok(Self {
            account,
            caller,
            origin: context.origin,
            path: context.path,
        })
    }
}

/// A request that may be anonymous (`GET /users/me`). A wrong password reads as anonymous, as
/// live Zendesk answers it; a wrong API token is still 401 (recorded, csa-zendesk live probes).
#[derive(Debug, Clone)]
pub struct Viewer {
    pub account: Option<Arc<Account>>,
    pub caller: Option<Caller>,
    pub origin: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        let context = request_context(parts)?;
        match &context.auth {
            AuthOutcome::Anonymous | AuthOutcome::Failed { password: true, .. } => Ok(Self {
                account: context.account,
                caller: None,
                origin: context.origin,
            }),
            _ => {
                let authed = Authed::from_request_parts(parts, state).await?;
                Ok(Self {
                    account: Some(authed.account),
                    caller: Some(authed.caller),
                    origin: authed.origin,
                })
            }
        }
    }
}

/// A control API request for one account: its admin's credentials or the control token.
#[derive(Debug, Clone)]
pub struct Control {
    pub account: Arc<Account>,
    pub origin: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Control {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        let context = request_context(parts)?;
        if matches!(context.auth, AuthOutcome::ControlToken) {
            let account = context.account.ok_or(ApiError::RecordNotFound)?;
            return Ok(Self {
                account,
                origin: context.origin,
            });
        }
        let authed = Authed::from_request_parts(parts, state).await?;
        authed.caller.require_admin()?;
        Ok(Self {
            account: authed.account,
            origin: authed.origin,
        })
    }
}

/// A control API request about the server's accounts. Open when no control token is configured
/// (the server binds to loopback by default); otherwise the token is required.
#[derive(Debug, Clone)]
pub struct ServerControl;

impl FromRequestParts<AppState> for ServerControl {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        if state.config.control_token.is_none() {
            return Ok(Self);
        }
        match request_context(parts)?.auth {
            AuthOutcome::ControlToken => Ok(Self),
            AuthOutcome::Anonymous => Err(ApiError::CouldNotAuthenticate),
            AuthOutcome::Failed { error, .. } => Err(error),
            AuthOutcome::Caller(_) => Err(ApiError::Forbidden),
        }
    }
}

impl Authed {
    /// One page of an id-ordered list as `{"<key>": [...], ...paging fields}`: the paging
    /// parameters read in `style`, items cut by id, each rendered by `render`.
    pub fn id_page<T>(
        &self,
        params: &super::extract::Params,
        style: super::pagination::Style,
        key: &str,
        items: Vec<T>,
        id: impl Fn(&T) -> crate::store::Id,
        render: impl Fn(&T) -> serde_json::Value,
    ) -> ApiResult<serde_json::Value> {
        let request = super::pagination::PageRequest::from_params(params, style, "id")?;
        let page = super::pagination::paginate(
            items,
            |t| vec![id(t)],
            &request,
            &self.links(params),
            "id",
        );
        let rendered = page.items.iter().map(render).collect();
        Ok(super::respond::list(key, rendered, page.fields))
    }
}
