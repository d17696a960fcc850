//! Helpers shared by the `tickets_*` test files (tickets, comments, audits and bulk ticket jobs
//! over real HTTP): the live key order of a ticket, checks of the forms snapshots redact, a
//! frozen "now", polling bulk jobs, case tables, and small request helpers. Each test binary
//! uses only some of them.
#![allow(dead_code)]

use crate::common::assert::{assert_completed_message, assert_job_forms, assert_record_forms};
use crate::common::json::ids_of;
use crate::common::{Mock, Reply, job_id, wait_for_job};
use serde_json::{Value, json};

/// 2023-09-18T23:28:11Z, the recorded timestamp of facts §1, as the frozen "now" of a test.
pub const FROZEN_AT: i64 = 1_695_079_691;
pub const FROZEN_ISO: &str = "2023-09-18T23:28:11Z";

/// The live key order of a ticket (facts §4.1, 2023 recording, plus the 2024
/// `generated_timestamp`), space-separated.
const TICKET_KEY_ORDER: &str = "url id external_id via created_at updated_at type subject \
    raw_subject description priority status recipient requester_id submitter_id assignee_id \
    organization_id group_id collaborator_ids follower_ids email_cc_ids forum_topic_id problem_id \
    has_incidents is_public due_at tags custom_fields satisfaction_rating sharing_agreement_ids \
    custom_status_id fields followup_ids ticket_form_id brand_id allow_channelback \
    allow_attachments from_messaging_channel generated_timestamp";

/// The keys of a ticket, in the live order.
pub fn ticket_keys() -> Vec<&'static str> {
    TICKET_KEY_ORDER.split_whitespace().collect()
}

/// Checks what ticket snapshots redact: a small positive id, a `.json` url on this server and
/// UTC timestamps.
pub fn assert_ticket_forms(mock: &Mock, ticket: &Value) -> i64 {
    let id = assert_record_forms(mock, ticket, "tickets");
    assert!(
        (1..1000).contains(&id),
        "ticket id {id} is not a small number"
    );
    id
}

/// POST /tickets as the admin; asserts 201 and returns `{"ticket","audit"}`.
pub async fn create(mock: &Mock, ticket: Value) -> Value {
    let reply = mock
        .admin()
        .post("/api/v2/tickets.json", json!({ "ticket": ticket }))
        .await;
    assert_eq!(reply.status, 201, "create {ticket}: {}", reply.text);
    reply.json
}

/// Creates a ticket and returns its id.
pub async fn create_id(mock: &Mock, ticket: Value) -> i64 {
    create(mock, ticket).await["ticket"]["id"]
        .as_i64()
        .expect("ticket id")
}

/// A minimal new ticket for `requester_id`.
pub fn new_ticket(requester_id: i64, subject: &str) -> Value {
    json!({"subject": subject, "requester_id": requester_id, "comment": {"body": format!("About {subject}.")}})
}

pub async fn show(mock: &Mock, id: i64) -> Reply {
    mock.admin()
        .get(&format!("/api/v2/tickets/{id}.json"))
        .await
}

pub async fn update(mock: &Mock, id: i64, ticket: Value) -> Reply {
    mock.admin()
        .put(
            &format!("/api/v2/tickets/{id}.json"),
            json!({ "ticket": ticket }),
        )
        .await
}

/// A bulk call's reply: checks the queued job status (facts §6), then polls it to completion
/// and checks the finished form. Returns the completed job status.
pub async fn completed_job(mock: &Mock, reply: &Reply, total: usize, job_type: &str) -> Value {
    assert_eq!(reply.status, 200, "bulk call: {}", reply.text);
    let job = &reply.json["job_status"];
    assert_eq!(job["status"], "queued", "{}", reply.text);
    assert_eq!(job["job_type"], job_type, "{}", reply.text);
    assert_eq!(job["total"], total, "{}", reply.text);
    assert!(job["results"].is_null(), "results while queued: {job}");
    assert_job_forms(mock, job);
    let id = job_id(job);
    let done = wait_for_job(&mock.admin(), &id).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["id"], id, "same job");
    assert_eq!(done["progress"], total, "progress at the end: {done}");
    assert_completed_message(&done["message"]);
    done
}

/// `base` with the keys of `extra` added (or replaced).
pub fn with(mut base: Value, extra: Value) -> Value {
    if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
        base.extend(extra);
    }
    base
}

/// Whether `event` has every key/value of `expected`.
pub fn event_matches(event: &Value, expected: &Value) -> bool {
    expected
        .as_object()
        .is_some_and(|o| o.iter().all(|(k, v)| &event[k] == v))
}

/// The rows of a case table written as one `json!([...])` array of objects, each naming its
/// `case` (rustfmt leaves such a table one row a line).
pub fn rows(table: &Value) -> impl Iterator<Item = (&str, &Value)> {
    table
        .as_array()
        .expect("a table is an array")
        .iter()
        .map(|row| (row["case"].as_str().expect("each row names its case"), row))
}

/// POST /tickets as the admin, whatever the outcome.
pub async fn post_ticket(mock: &Mock, ticket: Value) -> Reply {
    mock.admin()
        .post("/api/v2/tickets.json", json!({ "ticket": ticket }))
        .await
}

/// `GET /tickets/count` value.
pub async fn ticket_count(mock: &Mock) -> Value {
    let reply = mock.admin().get("/api/v2/tickets/count.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["count"]["value"].clone()
}

/// Whether `events` holds one matching every key/value of `expected`.
pub fn has_event(audit: &Value, expected: &Value) -> bool {
    audit["events"]
        .as_array()
        .is_some_and(|events| events.iter().any(|e| event_matches(e, expected)))
}

/// Follows a cursor list from `path` through `links.next`, checking each page's cursor form;
/// returns the ids of each page.
pub async fn cursor_pages(mock: &Mock, path: &str, key: &str) -> Vec<Vec<i64>> {
    let mut pages = Vec::new();
    let mut next = Some(path.to_owned());
    while let Some(path) = next.take() {
        let reply = mock.admin().get(&path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        assert!(
            reply.json.get("count").is_none(),
            "a cursor page has no count"
        );
        pages.push(ids_of(&reply, key));
        let more = reply.json["meta"]["has_more"].as_bool().expect("has_more");
        let link = reply.json["links"]["next"].as_str();
        assert_eq!(
            more,
            link.is_some(),
            "links.next iff has_more: {}",
            reply.text
        );
        next = link.map(|url| url.strip_prefix(&mock.url).expect("absolute").to_owned());
        assert!(pages.len() < 50, "cursor loop at {path}");
    }
    pages
}

/// GET as the admin.
pub async fn get(mock: &Mock, path: &str) -> Reply {
    mock.admin().get(path).await
}
