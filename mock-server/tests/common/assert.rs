//! Checks shared by the suites: the forms of the fields snapshots redact (ids, urls, timestamps,
//! job ids and messages), Zendesk's 403 and 404 answers, and the body of a reply whose status
//! must be a given one.

use super::bodies::{forbidden, not_found};
use super::{Mock, Reply};
use serde_json::Value;

/// The body of a reply that must have `status`, or a panic naming the step.
#[track_caller]
pub fn expect(reply: Reply, status: u16, what: &str) -> Value {
    assert_eq!(reply.status, status, "{what}: {}", reply.text);
    reply.json
}

/// `YYYY-MM-DDTHH:MM:SSZ`: ISO-8601 UTC with seconds and no fraction (facts §1).
pub fn is_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 20
        && bytes.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// A string in the form of [`is_timestamp`], like `2023-09-18T23:28:11Z`.
#[track_caller]
pub fn assert_timestamp(value: &Value, what: &str) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{what} is not a string: {value}"));
    assert!(
        is_timestamp(text),
        "{what}: {text:?} is not like 2023-09-18T23:28:11Z"
    );
}

/// A live-looking id: a positive int64. Returns it.
#[track_caller]
pub fn assert_id(value: &Value, what: &str) -> i64 {
    let id = value
        .as_i64()
        .unwrap_or_else(|| panic!("{what} is not an integer: {value}"));
    assert!(id > 0, "{what} is not positive: {id}");
    id
}

/// Checks the fields a snapshot of a record redacts: a positive id, the record's own `.json`
/// url on this server under `/api/v2/{collection}/`, and second-precision UTC timestamps.
/// Returns the id.
#[track_caller]
pub fn assert_record_forms(mock: &Mock, record: &Value, collection: &str) -> i64 {
    let id = assert_id(&record["id"], &format!("{collection}: id"));
    assert_eq!(
        record["url"],
        format!("{}/api/v2/{collection}/{id}.json", mock.url),
        "{collection}/{id}: url"
    );
    assert_timestamp(
        &record["created_at"],
        &format!("{collection}/{id}: created_at"),
    );
    assert_timestamp(
        &record["updated_at"],
        &format!("{collection}/{id}: updated_at"),
    );
    id
}

/// `V3-` and 32 lowercase hex digits, the recorded live form of a job id (facts §1).
#[track_caller]
fn assert_job_id(id: &Value) {
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

/// Checks the forms of what job snapshots redact: the id, and a url on this server ending
/// `.json` (facts §1, §6).
#[track_caller]
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
#[track_caller]
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

/// Zendesk's 404 RecordNotFound.
#[track_caller]
pub fn assert_not_found(reply: &Reply, context: &str) {
    assert_eq!(reply.status, 404, "{context}: {}", reply.text);
    assert_eq!(reply.json, not_found(), "{context}");
}

/// Zendesk's 403 Forbidden.
#[track_caller]
pub fn assert_forbidden(reply: &Reply, context: &str) {
    assert_eq!(reply.status, 403, "{context}: {}", reply.text);
    assert_eq!(reply.json, forbidden(), "{context}");
}
