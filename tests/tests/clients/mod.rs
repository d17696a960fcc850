//! What the real-client tests share: running a client script as a child process, reading the
//! JSON step lines it prints, and reading the mock's journal for failure messages. Each test
//! file includes it with `mod clients;` next to its `mod common;`.

#![allow(dead_code)]

use crate::common::Client;
use serde_json::Value;
use std::time::{Duration, Instant};
use zendesk_mock::store::clock::parse_rfc3339;

/// The value of the environment variable `name`; panics when it is not set, saying what it
/// should point at (`.ci/run` sets them all).
pub fn required_env(name: &str, what: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run .ci/run, or point it at {what}"))
}

/// What a script printed and how it ended.
pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

/// One line of a script's report: `{"step": .., "ok": .., "detail": ..}`.
pub struct Step {
    pub name: String,
    pub ok: bool,
    pub detail: Value,
}

impl Run {
    /// Everything a failure message needs.
    pub fn transcript(&self) -> String {
        format!("--- stdout\n{}--- stderr\n{}", self.stdout, self.stderr)
    }

    /// The step lines, in order; a line that is not one becomes a failed step named by it.
    pub fn steps(&self) -> Vec<Step> {
        self.stdout
            .lines()
            .map(|line| match serde_json::from_str::<Value>(line) {
                Ok(step) if step["step"].is_string() && step["ok"].is_boolean() => Step {
                    name: step["step"].as_str().unwrap_or_default().to_owned(),
                    ok: step["ok"] == true,
                    detail: step["detail"].clone(),
                },
                _ => Step {
                    name: format!("(not a step line) {line}"),
                    ok: false,
                    detail: Value::Null,
                },
            })
            .collect()
    }
}

/// Runs `program` on the script `tests/clients/{script}` with `env` added to the environment,
/// and waits for it at most `timeout` (then kills it and panics). The server keeps serving
/// meanwhile: the child is awaited, not blocked on.
pub async fn run_script(
    program: &str,
    script: &str,
    env: &[(&str, String)],
    timeout: Duration,
) -> Run {
    let script = format!("{}/clients/{script}", env!("CARGO_MANIFEST_DIR"));
    let started = Instant::now();
    let child = tokio::process::Command::new(program)
        .arg(&script)
        .envs(env.iter().map(|(name, value)| (name, value)))
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(timeout, child)
        .await
        .unwrap_or_else(|_| panic!("{script} still running after {timeout:?}"))
        .unwrap_or_else(|e| panic!("cannot run {program} {script}: {e}"));
    Run {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        took: started.elapsed(),
    }
}

/// One Zendesk API request, as the journal recorded it.
pub struct Request {
    /// Account time, in seconds.
    pub at: i64,
    pub method: String,
    pub path: String,
    pub query: String,
    pub status: u16,
}

/// The Zendesk API requests an account received, oldest first (control calls left out).
pub async fn api_requests(client: &Client<'_>) -> Vec<Request> {
    let reply = client.get("/__mock/journal").await;
    assert_eq!(reply.status, 200, "journal: {}", reply.text);
    reply.json["journal"]
        .as_array()
        .expect("journal entries")
        .iter()
        .filter(|e| e["path"].as_str().is_some_and(|p| p.starts_with("/api/")))
        .map(|e| {
            let text = |key: &str| e[key].as_str().unwrap_or_default().to_owned();
            Request {
                at: parse_rfc3339(&text("at")).expect("entry time"),
                method: text("method"),
                path: text("path"),
                query: text("query"),
                status: e["status"]
                    .as_u64()
                    .and_then(|s| s.try_into().ok())
                    .expect("status"),
            }
        })
        .collect()
}

/// One line per request, for failure messages.
pub fn describe(requests: &[Request]) -> String {
    requests
        .iter()
        .map(|r| {
            let query = if r.query.is_empty() {
                String::new()
            } else {
                format!("?{}", r.query)
            };
            format!("{} {} {}{query} → {}\n", r.at, r.method, r.path, r.status)
        })
        .collect()
}
