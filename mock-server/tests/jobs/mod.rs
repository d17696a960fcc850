//! Helpers shared by the `jobs_*` test files (bulk user endpoints and job statuses over real
//! HTTP): the queued form of a job, polling a job to its end, job modes, and bulk request
//! bodies. Each test binary uses only some of them.
#![allow(dead_code)]

use crate::common::assert::assert_completed_message;
use crate::common::{Mock, Reply, job_id, wait_for_job};
use serde_json::{Value, json};

/// The `job_status` of a bulk call's reply, after checking it is the queued status.
pub fn queued_job(reply: &Reply, total: usize, context: &str) -> Value {
    assert_eq!(reply.status, 200, "{context}: {}", reply.text);
    let job = reply.json["job_status"].clone();
    assert_eq!(job["status"], "queued", "{context}: {}", reply.text);
    assert_eq!(job["total"], total, "{context}: total");
    assert!(
        job["progress"].is_null(),
        "{context}: progress while queued"
    );
    assert!(job["results"].is_null(), "{context}: results while queued");
    job
}

/// Polls a job to its end and checks it completed.
pub async fn completed(mock: &Mock, job: &Value) -> Value {
    let done = wait_for_job(&mock.admin(), &job_id(job)).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["progress"], done["total"], "progress at the end");
    assert_completed_message(&done["message"]);
    done
}

pub fn user_body(name: &str, email: &str) -> Value {
    json!({"name": name, "email": email})
}

pub async fn show_user(mock: &Mock, id: &Value) -> Value {
    let reply = mock.admin().get(&format!("/api/v2/users/{id}.json")).await;
    assert_eq!(reply.status, 200, "user {id}: {}", reply.text);
    reply.json["user"].clone()
}

/// Active users whose identities match `email`, via search.
pub async fn found_by_email(mock: &Mock, email: &str) -> usize {
    let reply = mock
        .admin()
        .get(&format!("/api/v2/users/search.json?query={email}"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["users"].as_array().map_or(0, Vec::len)
}

pub async fn set_job_mode(mock: &Mock, mode: &str) {
    let reply = mock
        .admin()
        .patch("/__mock/settings", json!({ "job_mode": mode }))
        .await;
    assert_eq!(reply.status, 200, "job_mode {mode}: {}", reply.text);
    assert_eq!(reply.json["settings"]["job_mode"], mode, "{}", reply.text);
}

pub async fn job_count(mock: &Mock) -> usize {
    let reply = mock.admin().get("/api/v2/job_statuses.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["job_statuses"].as_array().map_or(0, Vec::len)
}

pub async fn create_users(mock: &Mock, users: &[(&str, &str)]) -> Vec<i64> {
    let mut ids = Vec::new();
    for (name, email) in users {
        ids.push(mock.create_user(name, email).await);
    }
    ids
}

/// A completed destroy_many reports each user `Deleted`, in order, and each reads `active:false`.
pub async fn assert_every_user_deleted(mock: &Mock, done: &Value, ids: &[i64]) {
    let expected: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "action": "delete", "status": "Deleted", "success": true}))
        .collect();
    assert_eq!(crate::common::results(done), expected);
    for id in ids {
        assert_eq!(
            show_user(mock, &json!(id)).await["active"],
            false,
            "user {id}"
        );
    }
}
