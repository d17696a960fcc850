//! Job statuses (facts §6):
//! <https://developer.zendesk.com/api-reference/ticketing/ticket-management/job_statuses/>.

use super::{Client, ClientError, ClientResult, Reply};
use serde_json::Value;
use std::time::{Duration, Instant};

/// Statuses after which a job does not change any more.
pub const FINISHED: [&str; 3] = ["completed", "failed", "killed"];

impl Client {
    /// `GET /job_statuses/{id}`.
    pub async fn show_job_status(&self, id: &str) -> ClientResult<Reply> {
        self.get(&format!("job_statuses/{id}"), &[]).await
    }

    /// `GET /job_statuses/show_many?ids=…`.
    pub async fn show_many_job_statuses(&self, ids: &[&str]) -> ClientResult<Reply> {
        self.get("job_statuses/show_many", &[("ids", ids.join(","))])
            .await
    }

    /// `GET /job_statuses` (cursor paging in `query`).
    pub async fn list_job_statuses(&self, query: &[(&str, String)]) -> ClientResult<Reply> {
        self.get("job_statuses", query).await
    }

    /// Polls `GET /job_statuses/{id}` until the job is finished (completed, failed, killed)
    /// and returns its `job_status` object; backs off from 20 ms to 1 s between polls.
    /// [`ClientError::Timeout`] after `timeout`; [`ClientError::Unexpected`] when a poll is
    /// not a 200 job status.
    pub async fn wait_for_job(&self, id: &str, timeout: Duration) -> ClientResult<Value> {
        let started = Instant::now();
        let mut pause = Duration::from_millis(20);
        loop {
            let reply = self.show_job_status(id).await?;
            if reply.status != 200 || !reply.at("/job_status").is_object() {
                return Err(ClientError::unexpected(
                    format!("polling job {id}: expected 200 with a job_status"),
                    &reply,
                ));
            }
            let status = reply.at("/job_status/status").as_str().unwrap_or("");
            if FINISHED.contains(&status) {
                return Ok(reply.at("/job_status").clone());
            }
            if started.elapsed() >= timeout {
                return Err(ClientError::Timeout(format!(
                    "job {id} still `{status}` after {timeout:?}"
                )));
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(1));
        }
    }

    /// For a reply that carries a `job_status` (bulk calls): waits for that job, as
    /// [`Self::wait_for_job`] does.
    pub async fn wait_for_reply_job(
        &self,
        reply: &Reply,
        timeout: Duration,
    ) -> ClientResult<Value> {
        let id = reply.at("/job_status/id").as_str().ok_or_else(|| {
            ClientError::unexpected("expected a job_status with a string id", reply)
        })?;
        self.wait_for_job(id, timeout).await
    }
}
