//! `JobStatusObject`, keys in the recorded order (facts §6).

use super::api_url;
use crate::store::jobs::{Job, JobState};
use serde_json::{Value, json};

pub fn job(job: &Job, origin: &str) -> Value {
    // Results stay null until the job is done, as in the recorded `working` status.
    let results = match job.state {
        JobState::Completed | JobState::Failed => job.results.clone().unwrap_or(Value::Null),
        JobState::Queued | JobState::Working => Value::Null,
    };
    json!({
        "id": job.id,
        "url": api_url(origin, &format!("job_statuses/{}", job.id)),
        "job_type": job.job_type,
        "total": job.total,
        "progress": job.progress,
        "status": job.state.as_str(),
        "message": job.message,
        "results": results,
    })
}
