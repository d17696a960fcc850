//! Bulk work as Zendesk runs it: a job status that goes `queued` → `working` → `completed`,
//! with per-item results in the recorded shapes (facts §6).
//!
//! A job executes one item per step, each step under the account lock and with the enqueuing
//! caller's permissions, so a bulk delete obeys exactly the rules of a single delete and other
//! requests interleave between items as they would on Zendesk. When steps run is the account's
//! [`JobMode`]: at once, on a background task, or when released through the control API — the
//! last lets a test catch a client that relies on a job it never polled.

use super::account::{Account, AccountData, JobMode};
use super::clock::{Timestamp, job_message_time};
use super::events::Event;
use super::rate_limits::{Limit, MAX_ACTIVE_JOBS};
use super::tickets::TicketInput;
use super::users::{Upsert, UserInput};
use super::{Caller, Id};
use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Value, json};
use std::sync::Arc;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Queued,
    Working,
    Completed,
    Failed,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Working => "working",
            Self::Completed => "completed",
            Self::Failed => "failed",
        }
    }
}

/// A user named by id or by external id (the `ids=` and `external_ids=` forms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserRef {
    Id(Id),
    ExternalId(String),
}

/// The items a job works through.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum JobWork {
    CreateUsers(Vec<UserInput>),
    CreateOrUpdateUsers(Vec<UserInput>),
    UpdateUsers(Vec<(UserRef, UserInput)>),
    DestroyUsers(Vec<UserRef>),
    CreateTickets(Vec<TicketInput>),
    UpdateTickets(Vec<(Id, TicketInput)>),
    /// Soft delete (`DELETE /tickets/destroy_many`).
    DestroyTickets(Vec<Id>),
    /// `DELETE /deleted_tickets/{id}`: one ticket, reported as `{"success":true}` with a null
    /// `total` (recorded).
    PermanentlyDeleteTicket(Id),
    /// `DELETE /deleted_tickets/destroy_many`: failures are skipped, the rest deleted.
    PermanentlyDeleteTickets(Vec<Id>),
}

impl JobWork {
    fn len(&self) -> usize {
        match self {
            Self::CreateUsers(items) | Self::CreateOrUpdateUsers(items) => items.len(),
            Self::UpdateUsers(items) => items.len(),
            Self::DestroyUsers(items) => items.len(),
            Self::CreateTickets(items) => items.len(),
            Self::UpdateTickets(items) => items.len(),
            Self::DestroyTickets(ids) | Self::PermanentlyDeleteTickets(ids) => ids.len(),
            Self::PermanentlyDeleteTicket(_) => 1,
        }
    }

    /// The single permanent delete reports no counts and an object result (recorded).
    fn is_single(&self) -> bool {
        matches!(self, Self::PermanentlyDeleteTicket(_))
    }

    /// `job_type`: "Bulk Create Ticket", and "Bulk Update Ticket" for a bulk ticket delete, are
    /// recorded; the others are INFERRED in the same style.
    fn job_type(&self) -> &'static str {
        match self {
            Self::CreateUsers(_) => "Bulk Create User",
            Self::CreateOrUpdateUsers(_) => "Bulk Create Or Update User",
            Self::UpdateUsers(_) => "Bulk Update User",
            Self::DestroyUsers(_) => "Bulk Delete User",
            Self::CreateTickets(_) => "Bulk Create Ticket",
            Self::UpdateTickets(_) | Self::DestroyTickets(_) => "Bulk Update Ticket",
            Self::PermanentlyDeleteTicket(_) => "Delete Ticket Permanently",
            Self::PermanentlyDeleteTickets(_) => "Bulk Delete Tickets Permanently",
        }
    }

    /// The working message, e.g. the recorded "Creating User #53" and "Creating ticket #17".
    fn message(&self, n: usize) -> String {
        let verb = match self {
            Self::CreateUsers(_) | Self::CreateTickets(_) => "Creating",
            Self::CreateOrUpdateUsers(_) => "Creating or updating",
            Self::UpdateUsers(_) | Self::UpdateTickets(_) => "Updating",
            Self::DestroyUsers(_)
            | Self::DestroyTickets(_)
            | Self::PermanentlyDeleteTicket(_)
            | Self::PermanentlyDeleteTickets(_) => "Deleting",
        };
        let noun = match self {
            Self::CreateUsers(_)
            | Self::CreateOrUpdateUsers(_)
            | Self::UpdateUsers(_)
            | Self::DestroyUsers(_) => "User",
            _ => "ticket",
        };
        format!("{verb} {noun} #{n}")
    }
}

/// A job status record. A snapshot reads it through `JobRecord`, whose `job_type` is text.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub id: String,
    pub job_type: &'static str,
    pub state: JobState,
    pub total: Option<usize>,
    pub progress: Option<usize>,
    pub message: Option<String>,
    /// `None` until finished, then an array of per-item results. In a snapshot `None` is an
    /// absent key, so a `null` result stays `Some(Null)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Value>,
    pub created_at: Timestamp,
    pub completed_at: Option<Timestamp>,
    /// Creation order within the account.
    pub seq: i64,
    /// The items still to run; dropped when the job completes, so a finished job keeps its
    /// results (ids) but not its inputs (names, emails) — no personal data lingers in jobs.
    work: Option<JobWork>,
    caller: Caller,
    /// Items from this index on fail without running: an injected fault (`fail_job_items`).
    fail_from: Option<usize>,
}

impl Job {
    /// The inputs a job has yet to run (names, emails…), as text, for residue scans: a job that
    /// never ran still holds the personal data it was given.
    pub fn pending_work_text(&self) -> Option<String> {
        self.work.as_ref().map(|work| format!("{work:?}"))
    }

    /// Whether items are still to run (an unfinished job's work is kept until it completes).
    pub fn has_work(&self) -> bool {
        self.work.is_some()
    }

    /// The job's place in `GET /job_statuses`, ascending; also its cursor key.
    pub fn list_key(&self) -> Vec<i64> {
        match self.completed_at {
            Some(done) => vec![0, -done, -self.created_at, -self.seq],
            None => vec![1, 0, -self.created_at, -self.seq],
        }
    }
}

impl AccountData {
    /// With rate limits on, at most [`MAX_ACTIVE_JOBS`] jobs may be queued or running; a bulk
    /// call past that is refused with 429 before anything is queued (facts §12 "Job limit").
    pub fn check_job_capacity(&self) -> ApiResult<()> {
        if self.settings.rate_limits.is_none() {
            return Ok(());
        }
        let active = self
            .jobs
            .values()
            .filter(|j| matches!(j.state, JobState::Queued | JobState::Working))
            .count();
        if active >= MAX_ACTIVE_JOBS {
            return Err(ApiError::TooManyRequests {
                retry_after: 10,
                limit: Limit::Jobs,
            });
        }
        Ok(())
    }

    /// Queues a job and returns its id; the items run later, per the job mode.
    pub fn enqueue_job(&mut self, caller: &Caller, work: JobWork) -> String {
        let id = self.ids.next_job_id();
        let now = self.now();
        let job_type = work.job_type();
        let fail_from = super::faults::take_job_failure().map(|n| work.len().saturating_sub(n));
        self.jobs.insert(
            id.clone(),
            Job {
                id: id.clone(),
                job_type,
                state: JobState::Queued,
                total: (!work.is_single()).then(|| work.len()),
                progress: None,
                message: None,
                results: None,
                created_at: now,
                completed_at: None,
                // From the id counter: unique even after older jobs expire.
                seq: self.ids.jobs_issued(),
                work: Some(work),
                caller: caller.clone(),
                fail_from,
            },
        );
        self.events.push(
            now,
            Event::JobQueued {
                job_id: id.clone(),
                job_type: job_type.to_owned(),
            },
        );
        id
    }

    /// Runs the next item of a job. Returns true while items remain.
    pub fn job_step(&mut self, id: &str) -> bool {
        let Some(job) = self.jobs.get_mut(id) else {
            return false;
        };
        // Taken out while the item runs (the item needs the whole account), put back after.
        let Some(work) = job.work.take() else {
            return false;
        };
        let (index, caller) = (job.progress.unwrap_or(0), job.caller.clone());
        let injected = job.fail_from.is_some_and(|from| index >= from);
        let total = work.len();
        let result = (index < total).then(|| {
            if injected {
                self.injected_item_failure(&work, index)
            } else {
                self.run_item(&caller, &work, index)
            }
        });
        let now = self.now();
        let Some(job) = self.jobs.get_mut(id) else {
            return false;
        };
        if let Some(result) = result {
            if let Some(Value::Array(items)) = job.results.as_mut() {
                items.push(result);
            } else {
                job.results = Some(Value::Array(vec![result]));
            }
            // Results stay hidden (null) until the job completes, as on Zendesk.
            job.state = JobState::Working;
            job.progress = Some(index + 1);
            job.message = Some(work.message(index + 1));
        }
        if job.progress.unwrap_or(0) < total {
            job.work = Some(work);
            return true;
        }
        job.state = JobState::Completed;
        job.progress = Some(total);
        job.completed_at = Some(now);
        job.message = Some(format!("Completed at {}", job_message_time(now)));
        if work.is_single() {
            job.progress = None;
            job.results = job.results.take().and_then(|items| items.get(0).cloned());
            // A single-item job whose item failed has failed (INFERRED; bulk jobs report
            // failed items inside a completed job, as documented).
            if job.results.as_ref().is_some_and(|r| r["success"] == false) {
                job.state = JobState::Failed;
                job.message = Some(format!("Failed at {}", job_message_time(now)));
            }
        }
        if job.results.is_none() {
            job.results = Some(Value::Array(Vec::new()));
        }
        let event = Event::JobCompleted {
            job_id: id.to_owned(),
            job_type: job.job_type.to_owned(),
        };
        self.events.push(now, event);
        false
    }

    /// Runs a job to its end (immediate mode, manual release).
    pub fn run_job(&mut self, id: &str) {
        while self.job_step(id) {}
    }

    /// Ids of jobs still queued, oldest first.
    pub fn queued_jobs(&self) -> Vec<String> {
        let mut queued: Vec<&Job> = self
            .jobs
            .values()
            .filter(|j| j.state == JobState::Queued)
            .collect();
        // Creation order: the per-account sequence, not the (hashed) id.
        queued.sort_by_key(|j| (j.created_at, j.seq));
        queued.into_iter().map(|j| j.id.clone()).collect()
    }

    pub fn job(&self, id: &str) -> ApiResult<&Job> {
        self.jobs.get(id).ok_or(ApiError::RecordNotFound)
    }

    /// `GET /job_statuses`: newest completion first, then newest creation (facts §6); jobs
    /// not yet completed come last. Sorted ascending by [`Job::list_key`].
    pub fn list_jobs(&self) -> Vec<&Job> {
        let mut jobs: Vec<&Job> = self.jobs.values().collect();
        jobs.sort_by_key(|j| j.list_key());
        jobs
    }

    fn run_item(&mut self, caller: &Caller, work: &JobWork, index: usize) -> Value {
        match work {
            JobWork::CreateUsers(items) => match self.create_user(Some(caller), &items[index]) {
                Ok(id) => json!({"id": id, "index": index, "status": "Created"}),
                Err(e) => failed_item(None, Some(index), "create", &e),
            },
            JobWork::CreateOrUpdateUsers(items) => match self
                .create_or_update_user(caller, &items[index])
            {
                Ok(Upsert::Created(id)) => json!({"id": id, "index": index, "status": "Created"}),
                // The update shape, without `index`, so the item matches exactly one of the
                // OAS result shapes (with `index` it would fit CreateResourceResult too).
                Ok(Upsert::Updated(id)) => {
                    json!({"id": id, "action": "update", "status": "Updated", "success": true})
                }
                Err(e) => failed_item(None, Some(index), "create_or_update", &e),
            },
            JobWork::UpdateUsers(items) => {
                let (target, input) = &items[index];
                match self
                    .resolve_user_ref(target)
                    .and_then(|id| self.update_user(caller, id, input).map(|()| id))
                {
                    Ok(id) => {
                        json!({"id": id, "action": "update", "status": "Updated", "success": true})
                    }
                    Err(e) => failed_item(self.ref_id(target), None, "update", &e),
                }
            }
            JobWork::CreateTickets(_)
            | JobWork::UpdateTickets(_)
            | JobWork::DestroyTickets(_)
            | JobWork::PermanentlyDeleteTicket(_)
            | JobWork::PermanentlyDeleteTickets(_) => self.run_ticket_item(caller, work, index),
            JobWork::DestroyUsers(items) => {
                let target = &items[index];
                match self
                    .resolve_user_ref(target)
                    .and_then(|id| self.soft_delete_user(caller, id).map(|()| id))
                {
                    Ok(id) => {
                        json!({"id": id, "action": "delete", "status": "Deleted", "success": true})
                    }
                    Err(e) => failed_item(self.ref_id(target), None, "delete", &e),
                }
            }
        }
    }

    fn run_ticket_item(&mut self, caller: &Caller, work: &JobWork, index: usize) -> Value {
        let account_id = self.account_id();
        match work {
            JobWork::CreateTickets(items) => match self.create_ticket(caller, &items[index], "api")
            {
                // Recorded: `{"index":0,"id":4050,"account_id":18525119}`.
                Ok((id, _)) => json!({"index": index, "id": id, "account_id": account_id}),
                Err(e) => failed_item(None, Some(index), "create", &e),
            },
            JobWork::UpdateTickets(items) => {
                let (id, input) = &items[index];
                match self.update_ticket(caller, *id, input) {
                    Ok(_) => {
                        json!({"id": id, "action": "update", "status": "Updated", "success": true})
                    }
                    Err(e) => failed_item(Some(*id), None, "update", &e),
                }
            }
            JobWork::DestroyTickets(ids) => match self.soft_delete_ticket(caller, ids[index]) {
                Ok(()) => {
                    json!({"id": ids[index], "action": "delete", "status": "Deleted", "success": true})
                }
                Err(e) => failed_item(Some(ids[index]), None, "delete", &e),
            },
            JobWork::PermanentlyDeleteTicket(id) => {
                match self.permanently_delete_ticket(caller, *id) {
                    Ok(()) => json!({"success": true}),
                    Err(e) => {
                        json!({"success": false, "error": e.body()["error"], "details": e.summary()})
                    }
                }
            }
            JobWork::PermanentlyDeleteTickets(ids) => {
                match self.permanently_delete_ticket(caller, ids[index]) {
                    Ok(()) => {
                        json!({"id": ids[index], "action": "delete", "status": "Deleted", "success": true})
                    }
                    Err(e) => failed_item(Some(ids[index]), None, "delete", &e),
                }
            }
            _ => Value::Null,
        }
    }

    fn resolve_user_ref(&self, target: &UserRef) -> ApiResult<Id> {
        match target {
            UserRef::Id(id) => self.user(*id).map(|u| u.id),
            UserRef::ExternalId(external) => self
                .active_user_by_external_id(external)
                .ok_or(ApiError::RecordNotFound),
        }
    }

    pub(super) fn ref_id(&self, target: &UserRef) -> Option<Id> {
        match target {
            UserRef::Id(id) => Some(*id),
            UserRef::ExternalId(external) => self.active_user_by_external_id(external),
        }
    }
}

/// A failed item in the OAS `FailedResult` shape: `{id, action, success:false, error, details}`.
/// The item-level codes for rule failures are INFERRED (facts §3.3: "per-user failures surface
/// as failed result items").
fn failed_item(id: Option<Id>, index: Option<usize>, action: &str, error: &ApiError) -> Value {
    let body = error.body();
    let code = body["error"].as_str().unwrap_or("Error").to_owned();
    let mut item = json!({"id": id, "action": action, "success": false, "error": code, "details": error.summary()});
    if let Some(index) = index {
        item["index"] = json!(index);
    }
    item
}

/// Every `job_type` that [`JobWork`] gives, so a snapshot's job type reads back as one of them.
const JOB_TYPES: [&str; 8] = [
    "Bulk Create User",
    "Bulk Create Or Update User",
    "Bulk Update User",
    "Bulk Delete User",
    "Bulk Create Ticket",
    "Bulk Update Ticket",
    "Delete Ticket Permanently",
    "Bulk Delete Tickets Permanently",
];

/// [`Job`] as a snapshot holds it: the same fields, `job_type` as text.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JobRecord {
    id: String,
    job_type: String,
    state: JobState,
    total: Option<usize>,
    progress: Option<usize>,
    message: Option<String>,
    #[serde(default, deserialize_with = "present_value")]
    results: Option<Value>,
    created_at: Timestamp,
    completed_at: Option<Timestamp>,
    seq: i64,
    work: Option<JobWork>,
    caller: Caller,
    fail_from: Option<usize>,
}

// By hand: derived, the `&'static str` field would make it read only `'static` input.
impl<'de> Deserialize<'de> for Job {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let record = JobRecord::deserialize(deserializer)?;
        Self::try_from(record).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<JobRecord> for Job {
    type Error = String;

    fn try_from(record: JobRecord) -> Result<Self, String> {
        let job_type = JOB_TYPES
            .into_iter()
            .find(|known| *known == record.job_type)
            .ok_or_else(|| format!("unknown job type `{}`", record.job_type))?;
        Ok(Self {
            id: record.id,
            job_type,
            state: record.state,
            total: record.total,
            progress: record.progress,
            message: record.message,
            results: record.results,
            created_at: record.created_at,
            completed_at: record.completed_at,
            seq: record.seq,
            work: record.work,
            caller: record.caller,
            fail_from: record.fail_from,
        })
    }
}

/// A present value, `null` included, as `Some` (see [`Job::results`]).
fn present_value<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// Starts a queued job according to the account's job mode.
pub fn dispatch(account: &Arc<Account>, job_id: &str) {
    match account.read(|data| data.settings.job_mode) {
        JobMode::Immediate => account.write(|data| data.run_job(job_id)),
        JobMode::Manual => {}
        JobMode::Background => {
            let (account, job_id) = (account.clone(), job_id.to_owned());
            tokio::spawn(async move {
                // One item per lock acquisition, yielding between items so other requests
                // interleave — and a poll can see the job `working`.
                while account.write(|data| data.job_step(&job_id)) {
                    tokio::task::yield_now().await;
                }
            });
        }
    }
}

/// Runs every held job to completion (`POST /__mock/jobs/release`); returns their ids.
pub fn release_all(account: &Account) -> Vec<String> {
    account.write(|data| {
        let ids = data.queued_jobs();
        for id in &ids {
            data.run_job(id);
        }
        ids
    })
}
