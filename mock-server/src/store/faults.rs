//! Injected faults (`/__mock/faults`, design.md "Control API"): per account, rules "for
//! requests matching METHOD + path pattern, do X" — answer with an error status, add latency,
//! drop the connection, or make the job the request enqueues fail part-way. The rules live
//! here; `http::faults` only carries them out.
//!
//! - Patterns match without `.json`; `*` is one non-empty segment; method `*` is any method.
//!   Control-API paths (`/__mock…`) are never faulted; patterns under `/__mock` are refused.
//! - Faults are consulted oldest first; the first that matches, has `remaining` left and (with
//!   a `probability`) wins its draw fires — only that one. Firing counts a hit and uses up one
//!   of `count` (absent: unlimited); an exhausted fault stays listed until cleared.
//! - `probability` draws from the fault's own SplitMix64 stream seeded by `seed` (default 0),
//!   once per matching request: the same requests against a fresh server fire the same way.
//! - `fail_job_items: N`: the next job the faulted request enqueues runs its first `total − N`
//!   items normally; its last N fail as `FailedResult` items, unapplied; the job still ends
//!   `completed` (a one-item permanent ticket delete ends `failed`, as its real failures do).

use super::account::{AccountData, splitmix64};
use super::jobs::JobWork;
use super::{Id, jobs::UserRef};
use crate::error::{ApiError, ApiResult};
use serde::Deserialize;
use serde_json::{Value, json};
use std::cell::Cell;
use std::future::Future;

/// The statuses a fault may answer with; each has a Zendesk body (see `http::faults`).
pub const STATUSES: [u16; 4] = [429, 500, 502, 503];
/// `Retry-After` of an injected 429 when the fault names none.
pub const DEFAULT_RETRY_AFTER: u32 = 60;
/// The longest latency a fault may add (5 minutes): long enough for any client timeout.
pub const MAX_LATENCY_MS: u64 = 300_000;
const METHODS: [&str; 8] = [
    "*", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
];

/// A fault as posted to `POST /__mock/faults`; listed back normalized (method upper case, path
/// without `.json`, the default `retry_after` of a 429 and `seed` filled in), every key present.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    pub method: String,
    pub path: String,
    /// 429, 500, 502 or 503.
    pub status: Option<u16>,
    /// Seconds for `Retry-After` (429: default 60; 503: sent only when given).
    pub retry_after: Option<u32>,
    /// Delay before the request runs (or the fault answers), alone or with another effect.
    pub latency_ms: Option<u64>,
    #[serde(default)]
    pub drop_connection: bool,
    pub fail_job_items: Option<usize>,
    /// How many times it fires; absent: every time.
    pub count: Option<u64>,
    /// Chance in (0, 1] that a matching request fires it.
    pub probability: Option<f64>,
    pub seed: Option<u64>,
}

/// What a fired fault does after its latency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Nothing more: the request then runs normally.
    Latency,
    /// Answer with this status (one of [`STATUSES`]) and these `Retry-After` seconds, if any.
    Status(u16, Option<u32>),
    /// Break the connection without an answer.
    DropConnection,
    /// Run the request with its next job failing its last N items.
    FailJobItems(usize),
}

/// One firing: what the HTTP layer must do to this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Firing {
    pub latency_ms: u64,
    pub effect: Effect,
}

/// A stored fault: the normalized spec and its counters.
#[derive(Debug, Clone)]
pub struct Fault {
    pub id: Id,
    spec: FaultSpec,
    effect: Effect,
    hits: u64,
    draws: u64,
}

impl Fault {
    /// `{"id", …the spec…, "hits", "remaining"}`; `remaining` is null when unlimited.
    pub fn to_json(&self) -> Value {
        let s = &self.spec;
        json!({"id": self.id, "method": s.method, "path": s.path, "status": s.status,
            "retry_after": s.retry_after, "latency_ms": s.latency_ms,
            "drop_connection": s.drop_connection, "fail_job_items": s.fail_job_items,
            "count": s.count, "probability": s.probability, "seed": s.seed,
            "hits": self.hits, "remaining": self.remaining()})
    }

    fn remaining(&self) -> Option<u64> {
        self.spec.count.map(|count| count.saturating_sub(self.hits))
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        let path = path.strip_suffix(".json").unwrap_or(path);
        let (pattern, segments) = (self.spec.path.split('/'), path.split('/'));
        (self.spec.method == "*" || self.spec.method.eq_ignore_ascii_case(method))
            && pattern.clone().count() == segments.clone().count()
            && (pattern.zip(segments)).all(|(p, s)| p == s || (p == "*" && !s.is_empty()))
    }

    /// One draw of the fault's seeded stream: true when it fires.
    fn draw(&mut self) -> bool {
        let Some(probability) = self.spec.probability else {
            return true;
        };
        let seed = self.spec.seed.unwrap_or(0);
        let x = splitmix64(seed.wrapping_add(self.draws.wrapping_mul(0x9E37_79B9_7F4A_7C15)));
        self.draws += 1;
        ((x >> 11) as f64 / (1u64 << 53) as f64) < probability
    }
}

/// Whether a path belongs to the control API, which faults never touch.
fn is_control(path: &str) -> bool {
    path.starts_with("/__mock")
}

/// A 400 for a spec that cannot be injected.
fn bad<T>(text: &str) -> ApiResult<T> {
    Err(ApiError::invalid_parameter(format!(
        "Invalid fault: {text}"
    )))
}

/// Checks a spec and works out its effect; every problem is a 400 naming the field.
fn validate(spec: &mut FaultSpec) -> ApiResult<Effect> {
    spec.method = spec.method.trim().to_ascii_uppercase();
    if !METHODS.contains(&spec.method.as_str()) {
        return bad("method must be GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS or *");
    }
    let path = spec.path.trim();
    spec.path = path.strip_suffix(".json").unwrap_or(path).to_owned();
    if !spec.path.starts_with('/') || spec.path.contains(['?', '#']) {
        return bad("path must start with / and carry no query");
    }
    if is_control(&spec.path) {
        return bad("the control API (/__mock) cannot be faulted");
    }
    let effect = match (spec.status, spec.drop_connection, spec.fail_job_items) {
        (None, false, None) if spec.latency_ms.is_some() => Effect::Latency,
        (None, false, None) => {
            return bad("give status, latency_ms, drop_connection or fail_job_items");
        }
        (Some(status), false, None) if STATUSES.contains(&status) => {
            let default = (status == 429).then_some(DEFAULT_RETRY_AFTER);
            spec.retry_after = spec.retry_after.or(default);
            Effect::Status(status, spec.retry_after)
        }
        (Some(_), false, None) => return bad("status must be 429, 500, 502 or 503"),
        (None, true, None) => Effect::DropConnection,
        (None, false, Some(n)) if n >= 1 => Effect::FailJobItems(n),
        (None, false, Some(_)) => return bad("fail_job_items must be at least 1"),
        _ => return bad("status, drop_connection and fail_job_items exclude each other"),
    };
    if spec.retry_after.is_some() && !matches!(spec.status, Some(429 | 503)) {
        return bad("retry_after goes with status 429 or 503");
    }
    if matches!(spec.latency_ms, Some(ms) if ms == 0 || ms > MAX_LATENCY_MS) {
        return bad("latency_ms must be between 1 and 300000");
    }
    if spec.count == Some(0) {
        return bad("count must be at least 1 (leave it out for unlimited)");
    }
    match spec.probability {
        Some(p) if !(p > 0.0 && p <= 1.0) => return bad("probability must be in (0, 1]"),
        Some(_) => spec.seed = Some(spec.seed.unwrap_or(0)),
        None if spec.seed.is_some() => return bad("seed goes with probability"),
        None => {}
    }
    Ok(effect)
}

/// An account's faults, oldest first. Lives behind its own lock on the account, so firing a
/// fault never waits for the data lock.
#[derive(Debug, Default)]
pub struct Faults {
    faults: Vec<Fault>,
    last_id: Id,
}

impl Faults {
    /// Validates and stores a fault; ids count up per account and are never reused.
    pub fn add(&mut self, mut spec: FaultSpec) -> ApiResult<&Fault> {
        let effect = validate(&mut spec)?;
        self.last_id += 1;
        self.faults.push(Fault {
            id: self.last_id,
            spec,
            effect,
            hits: 0,
            draws: 0,
        });
        Ok(&self.faults[self.faults.len() - 1])
    }

    /// Every fault, oldest first (exhausted ones included).
    pub fn list(&self) -> &[Fault] {
        &self.faults
    }

    /// One fault: 404 RecordNotFound when there is none with this id.
    pub fn get(&self, id: Id) -> ApiResult<&Fault> {
        self.faults
            .iter()
            .find(|f| f.id == id)
            .ok_or(ApiError::RecordNotFound)
    }

    /// Removes one fault: 404 RecordNotFound when there is none with this id.
    pub fn remove(&mut self, id: Id) -> ApiResult<()> {
        let at = self.faults.iter().position(|f| f.id == id);
        self.faults.remove(at.ok_or(ApiError::RecordNotFound)?);
        Ok(())
    }

    /// Removes every fault (`DELETE /__mock/faults`, account reset).
    pub fn clear(&mut self) {
        self.faults.clear();
    }

    /// The fault this request fires, if any (counted as a hit). `path` is the request path,
    /// with or without `.json`.
    pub fn fire(&mut self, method: &str, path: &str) -> Option<Firing> {
        if is_control(path) {
            return None;
        }
        let fault = self
            .faults
            .iter_mut()
            .filter(|f| f.remaining() != Some(0) && f.matches(method, path))
            .find_map(|f| f.draw().then_some(f))?;
        fault.hits += 1;
        Some(Firing {
            latency_ms: fault.spec.latency_ms.unwrap_or(0),
            effect: fault.effect,
        })
    }
}

tokio::task_local! {
    /// Items to fail in the next job enqueued by the request being handled. A task-local, not
    /// account state: a concurrent request of the same account must not pick it up.
    static FAIL_JOB_ITEMS: Cell<Option<usize>>;
}

/// Runs `request` (a request's handling) so that the next job it enqueues fails `n` items.
pub async fn with_failing_job<F: Future>(n: usize, request: F) -> F::Output {
    FAIL_JOB_ITEMS.scope(Cell::new(Some(n)), request).await
}

/// Takes the pending `fail_job_items` of the current request, if any (once per request).
pub fn take_job_failure() -> Option<usize> {
    FAIL_JOB_ITEMS.try_with(Cell::take).ok().flatten()
}

/// The code and details of an injected item failure (INFERRED: Zendesk documents the
/// `FailedResult` shape but not the codes of server-side item failures).
const ITEM_ERROR: &str = "InternalError";
const ITEM_DETAILS: &str = "The item could not be processed. Please try again.";

impl AccountData {
    /// The result of a job item failed by a fault, in the shape the job's own failures take:
    /// `{"id","action","success":false,"error","details"}` (plus `index` for creates).
    pub(crate) fn injected_item_failure(&self, work: &JobWork, index: usize) -> Value {
        let user = |r: &UserRef| self.ref_id(r);
        let (id, action, with_index) = match work {
            JobWork::CreateUsers(_) | JobWork::CreateTickets(_) => (None, "create", true),
            JobWork::CreateOrUpdateUsers(_) => (None, "create_or_update", true),
            JobWork::UpdateUsers(items) => (user(&items[index].0), "update", false),
            JobWork::DestroyUsers(items) => (user(&items[index]), "delete", false),
            JobWork::UpdateTickets(items) => (Some(items[index].0), "update", false),
            JobWork::DestroyTickets(ids) | JobWork::PermanentlyDeleteTickets(ids) => {
                (Some(ids[index]), "delete", false)
            }
            JobWork::PermanentlyDeleteTicket(_) => {
                return json!({"success": false, "error": ITEM_ERROR, "details": ITEM_DETAILS});
            }
        };
        let mut item = json!({"id": id, "action": action, "success": false,
            "error": ITEM_ERROR, "details": ITEM_DETAILS});
        if with_index {
            item["index"] = json!(index);
        }
        item
    }
}
