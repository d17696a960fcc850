//! Helpers shared by the `jobs_*` test files (bulk user endpoints and job statuses over real
//! HTTP): the recorded forms of job ids and messages, polling a job to its end, job modes, a
//! frozen clock, and bulk request bodies. Each test binary uses only some of them.
#![allow(dead_code)]

use crate::common::{Mock, Reply, wait_for_job};
use serde_json::{Value, json};

/// `V3-` and 32 lowercase hex digits, the recorded live form (facts §1).
pub fn assert_job_id(id: &Value) {
    let text = id
        .as_str()
        .unwrap_or_else(|| panic!("job id is not a string: {id}"));
    let hex = text
        .strip_prefix("V3-")
        .unwrap_or_else(|| panic!("job id {text:?} does not start with V3-"));
    assert!(
        hex.len() == 32
            && hex
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_uppercase()),
        "job id {text:?} is not V3- plus 32 hex digits"
    );
}

/// Checks the forms of what snapshots redact: the id, and a url on this server ending `.json`.
pub fn assert_job_forms(mock: &Mock, job: &Value) {
    assert_job_id(&job["id"]);
    let id = job["id"].as_str().unwrap_or_default();
    assert_eq!(
        job["url"],
        format!("{}/api/v2/job_statuses/{id}.json", mock.url),
        "job url"
    );
}

/// `Completed at 2023-09-18 23:24:22 +0000`, the recorded form (facts §6).
pub fn assert_completed_message(message: &Value) {
    let text = message
        .as_str()
        .unwrap_or_else(|| panic!("message is not a string: {message}"));
    let shape = "Completed at ####-##-## ##:##:## +0000";
    let ok = text.len() == shape.len()
        && text.chars().zip(shape.chars()).all(|(c, s)| match s {
            '#' => c.is_ascii_digit(),
            _ => c == s,
        });
    assert!(
        ok,
        "message {text:?} is not like \"Completed at 2023-09-18 23:24:22 +0000\""
    );
}

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

pub fn job_id(job: &Value) -> String {
    job["id"].as_str().expect("job id").to_owned()
}

/// Polls a job to its end and checks it completed.
pub async fn completed(mock: &Mock, job: &Value) -> Value {
    let done = wait_for_job(&mock.admin(), &job_id(job)).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["progress"], done["total"], "progress at the end");
    assert_completed_message(&done["message"]);
    done
}

pub fn results(job: &Value) -> Vec<Value> {
    job["results"]
        .as_array()
        .unwrap_or_else(|| panic!("results are not an array: {job}"))
        .clone()
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

pub fn comma_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}
