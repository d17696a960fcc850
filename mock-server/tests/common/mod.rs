//! Test harness: a real server on a loopback port per test, and a small HTTP client.
//! Each test gets its own server (and so its own accounts): nothing is shared between tests.
//!
//! The helpers more than one suite needs live here too, so that each is written once:
//! [`assert`] (forms of ids, timestamps and jobs; 403 and 404 answers), [`bodies`] (Zendesk's
//! error bodies), [`json`] (readers of reply bodies) and [`world`] (the demo world's tickets,
//! accounts, the event log, the residue scan, the clock). Each test binary uses only some of
//! them.
#![allow(dead_code)]

pub mod assert;
pub mod bodies;
pub mod json;
pub mod world;

use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use zendesk_mock::{AppState, Options, build_state};

/// Demo owner credentials (the README's).
pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_TOKEN: &str = "demo-token";

/// A running server.
pub struct Mock {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    pub state: AppState,
    pub http: reqwest::Client,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    /// The body as JSON (`Value::Null` when empty or not JSON).
    pub json: Value,
    pub text: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl Mock {
    /// The server with the embedded demo account.
    pub async fn start() -> Self {
        Self::with(Options::default()).await
    }

    /// A server whose default account holds only its owner admin (same credentials as the demo).
    pub async fn empty() -> Self {
        Self::with(Options {
            demo: false,
            seed: Some(json!({})),
            ..Options::default()
        })
        .await
    }

    /// A server whose default account holds only its owner plus `world` (a seed document).
    pub async fn seeded(world: Value) -> Self {
        Self::with(Options {
            demo: false,
            seed: Some(world),
            ..Options::default()
        })
        .await
    }

    pub async fn with(options: Options) -> Self {
        let state = build_state(&options).expect("server state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let served = state.clone();
        tokio::spawn(async move {
            let _ = zendesk_mock::serve(listener, served, async {
                let _ = rx.await;
            })
            .await;
        });
        Self {
            url,
            state,
            http: reqwest::Client::new(),
            _shutdown: tx,
        }
    }

    /// The port the server listens on (for `Host` headers such as `acme.localhost:PORT`).
    pub fn port(&self) -> &str {
        self.url.rsplit(':').next().expect("a port")
    }

    /// Requests as the demo owner admin.
    pub fn admin(&self) -> Client<'_> {
        self.as_token(ADMIN_EMAIL, ADMIN_TOKEN)
    }

    /// Requests as `email` with an API token.
    pub fn as_token<'a>(&'a self, email: &str, token: &str) -> Client<'a> {
        Client {
            mock: self,
            auth: Auth::Basic(format!("{email}/token"), token.to_owned()),
            host: None,
        }
    }

    /// Requests with no credentials.
    pub fn anonymous(&self) -> Client<'_> {
        Client {
            mock: self,
            auth: Auth::None,
            host: None,
        }
    }

    /// Requests with an OAuth bearer token.
    pub fn bearer<'a>(&'a self, token: &str) -> Client<'a> {
        Client {
            mock: self,
            auth: Auth::Bearer(token.to_owned()),
            host: None,
        }
    }

    /// Requests with email + password Basic auth.
    pub fn password<'a>(&'a self, email: &str, password: &str) -> Client<'a> {
        Client {
            mock: self,
            auth: Auth::Basic(email.to_owned(), password.to_owned()),
            host: None,
        }
    }

    /// Creates an end user as the admin and returns its id.
    pub async fn create_user(&self, name: &str, email: &str) -> i64 {
        let reply = self
            .admin()
            .post(
                "/api/v2/users.json",
                json!({"user": {"name": name, "email": email, "verified": true}}),
            )
            .await;
        assert_eq!(reply.status, 201, "creating {email}: {}", reply.text);
        reply.json["user"]["id"].as_i64().expect("user id")
    }

    /// The id of the demo user with this email (via search).
    pub async fn user_id(&self, email: &str) -> i64 {
        let reply = self
            .admin()
            .get(&format!("/api/v2/users/search.json?query={email}"))
            .await;
        reply.json["users"][0]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no user {email}: {}", reply.text))
    }
}

#[derive(Clone)]
enum Auth {
    None,
    Basic(String, String),
    Bearer(String),
}

/// A client bound to one set of credentials.
#[derive(Clone)]
pub struct Client<'a> {
    mock: &'a Mock,
    auth: Auth,
    host: Option<String>,
}

impl Client<'_> {
    /// Sends with this `Host` header (for subdomain resolution: `acme.localhost`).
    pub fn host(mut self, host: &str) -> Self {
        self.host = Some(host.to_owned());
        self
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }

    /// Sends a JSON body (or none) and reads the whole reply.
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let mut request = self
            .mock
            .http
            .request(method, format!("{}{path}", self.mock.url));
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        self.execute(request).await
    }

    /// Sends raw bytes with the given content type (for malformed-input tests).
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: &str,
    ) -> Reply {
        let mut request = self
            .mock
            .http
            .request(method, format!("{}{path}", self.mock.url))
            .body(body.to_owned());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        self.execute(request).await
    }

    async fn execute(&self, mut request: reqwest::RequestBuilder) -> Reply {
        request = match &self.auth {
            Auth::None => request,
            Auth::Basic(user, secret) => request.basic_auth(user, Some(secret)),
            Auth::Bearer(token) => request.bearer_auth(token),
        };
        if let Some(host) = &self.host {
            request = request.header("host", host);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body read");
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            json,
            text,
        }
    }
}

/// Polls a job status until it leaves queued/working (background mode finishes in ms).
pub async fn wait_for_job(client: &Client<'_>, job_url_or_id: &str) -> Value {
    let id = job_url_or_id
        .rsplit('/')
        .next()
        .unwrap_or(job_url_or_id)
        .trim_end_matches(".json")
        .to_owned();
    for _ in 0..500 {
        let reply = client.get(&format!("/api/v2/job_statuses/{id}.json")).await;
        assert_eq!(reply.status, 200, "job {id}: {}", reply.text);
        let status = reply.json["job_status"]["status"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if status == "completed" || status == "failed" {
            return reply.json["job_status"].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    panic!("job {id} did not finish");
}

/// The id of a job status.
pub fn job_id(job: &Value) -> String {
    job["id"].as_str().expect("job id").to_owned()
}

/// The `results` array of a finished job.
pub fn results(job: &Value) -> Vec<Value> {
    job["results"]
        .as_array()
        .unwrap_or_else(|| panic!("results are not an array: {job}"))
        .clone()
}
