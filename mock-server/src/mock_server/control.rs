//! The control operations of a [`MockServer`]: what `/__mock` offers (seed, clock, faults,
//! residue, events, journal, settings, held jobs), as methods that go straight to the store.
//! Each is one step under the account's lock, as the HTTP call would be, and follows the same
//! rules: the store does the work, these methods only convert arguments and results.

use super::MockServer;
use crate::error::{ApiError, ApiResult};
use crate::store::Settings;
use crate::store::clock::{iso8601, parse_rfc3339};
use crate::store::faults::FaultSpec;
use crate::store::jobs::release_all;
use crate::store::lifecycle::Ran;
use crate::store::residue::Hit;
use serde_json::Value;
use std::time::Duration;

impl MockServer {
    /// Loads a world into the account, atomically, as `POST /__mock/seed` does. Returns the
    /// ids assigned: `{"users":[…],"tickets":[…],"suspended_tickets":[…],"refs":{ref: id}}`.
    ///
    /// ```
    /// # let server = zendesk_mock::MockServer::builder().demo(false).start_blocking();
    /// let report = server.seed(serde_json::json!({
    ///     "users": [{"ref": "jane", "name": "Jane Roe", "email": "jane@example.org"}]
    /// }))?;
    /// assert_eq!(report["refs"]["jane"], report["users"][0]);
    /// assert!(server.seed(serde_json::json!({"planets": []})).is_err());
    /// # Ok::<(), zendesk_mock::ApiError>(())
    /// ```
    pub fn seed(&self, world: Value) -> ApiResult<Value> {
        super::seed(&self.state.registry, &self.account, world)
    }

    /// The account clock's time, as Zendesk writes timestamps (`2024-01-01T00:00:00Z`).
    pub fn now(&self) -> String {
        iso8601(self.account.read(|data| data.now()))
    }

    /// Moves the account clock forward by whole seconds of `by`, running in time order what
    /// fell due on the way (30-day purges, solved tickets closing, job statuses expiring), as
    /// `POST /__mock/clock/advance` does; a frozen clock stays frozen. Returns what ran.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # let server = zendesk_mock::MockServer::builder()
    /// #     .clock("2024-01-01T00:00:00Z")
    /// #     .start_blocking();
    /// let ran = server.advance(Duration::from_secs(86_400));
    /// assert!(ran.is_empty());
    /// assert_eq!(server.now(), "2024-01-02T00:00:00Z");
    /// ```
    pub fn advance(&self, by: Duration) -> Vec<Ran> {
        let step = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        self.account.write(|data| {
            let frozen = data.clock.frozen_at.is_some();
            data.move_clock(data.now().saturating_add(step), frozen)
        })
    }

    /// Sets the clock to an RFC 3339 instant, frozen or running, as `PUT /__mock/clock` does:
    /// a later time runs what fell due on the way (returned); an earlier one runs nothing.
    pub fn set_clock(&self, now: &str, frozen: bool) -> ApiResult<Vec<Ran>> {
        let target = parse_rfc3339(now)
            .ok_or_else(|| ApiError::invalid_json(format!("now `{now}` is not RFC 3339")))?;
        Ok(self.account.write(|data| data.move_clock(target, frozen)))
    }

    /// Injects a fault (the spec `POST /__mock/faults` takes, validated the same way) and
    /// returns it as listed, with its `id`, `hits` and `remaining`.
    ///
    /// ```
    /// # let server = zendesk_mock::MockServer::builder().start_blocking();
    /// let fault = server.add_fault(serde_json::json!({
    ///     "method": "DELETE", "path": "/api/v2/users/*", "status": 503, "count": 1
    /// }))?;
    /// assert_eq!(fault["remaining"], 1);
    /// assert!(server.add_fault(serde_json::json!({"method": "GET", "path": "/api/v2/users"})).is_err());
    /// # Ok::<(), zendesk_mock::ApiError>(())
    /// ```
    pub fn add_fault(&self, spec: Value) -> ApiResult<Value> {
        let spec: FaultSpec = serde_json::from_value(spec)
            .map_err(|e| ApiError::invalid_json(format!("Invalid fault: {e}")))?;
        self.account
            .faults(|faults| faults.add(spec).map(|fault| fault.to_json()))
    }

    /// The account's faults, oldest first, with their `hits` and `remaining`.
    pub fn faults(&self) -> Vec<Value> {
        self.account
            .faults(|faults| faults.list().iter().map(|f| f.to_json()).collect())
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.account.faults(|faults| faults.clear());
    }

    /// Every place any of `needles` still appears in the account — including where the API
    /// cannot look (audits, attachment bytes, soft-deleted tickets, pending jobs) — as
    /// `POST /__mock/residue` reports it. Empty after a complete erasure.
    pub fn residue(&self, needles: &[&str]) -> Vec<Hit> {
        let needles: Vec<String> = needles.iter().map(|&n| n.to_owned()).collect();
        self.account.write(|data| data.residue(&needles))
    }

    /// The semantic event log, oldest first, as `GET /__mock/events` renders it:
    /// `{"seq","at","type",…ids}`. It starts empty: setting the server up is not an event.
    pub fn events(&self) -> Vec<Value> {
        self.account
            .read(|data| data.events().iter().map(|e| e.to_json()).collect())
    }

    /// The requests the account received, oldest first, as `GET /__mock/journal` renders
    /// them: `{"seq","at","method","path","query","status","user_id","duration_us"}`.
    pub fn journal(&self) -> Vec<Value> {
        self.account.journal().iter().map(|e| e.to_json()).collect()
    }

    /// Changes the account's settings (job mode, plan, rate limits, password auth, …) and
    /// returns what `f` returns.
    ///
    /// ```
    /// # let server = zendesk_mock::MockServer::builder().start_blocking();
    /// use zendesk_mock::store::JobMode;
    /// server.settings_mut(|settings| settings.job_mode = JobMode::Manual);
    /// assert_eq!(server.settings_mut(|settings| settings.job_mode), JobMode::Manual);
    /// ```
    pub fn settings_mut<R>(&self, f: impl FnOnce(&mut Settings) -> R) -> R {
        self.account.write(|data| f(&mut data.settings))
    }

    /// Runs every job held by [`JobMode::Manual`](crate::store::JobMode::Manual) to
    /// completion, as `POST /__mock/jobs/release` does; returns their ids.
    pub fn release_jobs(&self) -> Vec<String> {
        release_all(&self.account)
    }
}
