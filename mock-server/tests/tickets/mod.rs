//! Helpers shared by the `tickets_*` test files (tickets, comments, audits and bulk ticket jobs
//! over real HTTP): Zendesk's recorded error bodies, checks of the forms snapshots redact, the
//! demo world's tickets, and small request helpers. Each test binary uses only some of them.
#![allow(dead_code)]

use crate::common::{Mock, Reply, wait_for_job};
use serde_json::{Value, json};
use zendesk_mock::store::clock::Clock;

/// Demo tickets by subject (src/demo_world.json).
pub const MARIA_OPEN: &str = "Problema con l'ordine";
pub const ANA_CLOSED: &str = "Cambio de dirección";
pub const OMAR_SOLVED: &str = "Invoice copy";
pub const PRIYA_PENDING: &str = "Passport scan for verification";
pub const KENJI_DELETED: &str = "Old question";

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

pub fn not_found() -> Value {
    json!({"error": "RecordNotFound", "description": "Not found"})
}

/// The recorded 422 for any update of a closed ticket (facts §2).
pub fn closed_prevents_update() -> Value {
    record_invalid("status", "Status: closed prevents ticket update")
}

/// The recorded generic 400 for more than 100 items: the blank parameter name is real (facts §2).
pub fn too_many_values() -> Value {
    json!({
        "error": "TooManyValues",
        "description": "Parameter  cannot specify more than 100 values",
        "max_count": 100
    })
}

pub fn record_invalid(field: &str, description: &str) -> Value {
    json!({
        "error": "RecordInvalid",
        "description": "Record validation errors",
        "details": {field: [{"description": description}]}
    })
}

pub fn keys(object: &Value) -> Vec<&str> {
    object
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// `2023-09-18T23:28:11Z`: UTC, whole seconds (facts §1).
pub fn assert_timestamp(value: &Value, what: &str) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{what}: {value} is not a string"));
    let shape = "####-##-##T##:##:##Z";
    let ok = text.len() == shape.len()
        && text.chars().zip(shape.chars()).all(|(c, s)| match s {
            '#' => c.is_ascii_digit(),
            _ => c == s,
        });
    assert!(ok, "{what}: {text:?} is not like 2023-09-18T23:28:11Z");
}

/// Checks what ticket snapshots redact: a small positive id and a `.json` url on this server.
pub fn assert_ticket_forms(mock: &Mock, ticket: &Value) -> i64 {
    let id = ticket["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("ticket id is not an integer: {ticket}"));
    assert!(
        (1..1000).contains(&id),
        "ticket id {id} is not a small number"
    );
    assert_eq!(
        ticket["url"],
        format!("{}/api/v2/tickets/{id}.json", mock.url),
        "ticket url"
    );
    assert_timestamp(&ticket["created_at"], "created_at");
    assert_timestamp(&ticket["updated_at"], "updated_at");
    id
}

/// Freezes the default account's clock. There is no clock route in the control API yet, so
/// this reaches into the in-process state the harness exposes (as tests/jobs_statuses.rs does).
pub fn freeze_clock(mock: &Mock, at: i64) {
    mock.state
        .registry
        .default_account()
        .expect("default account")
        .write(|data| data.clock = Clock::frozen(at));
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

/// GET /tickets/{id} as the admin; asserts 200 and returns the ticket.
pub async fn ticket(mock: &Mock, id: i64) -> Value {
    let reply = show(mock, id).await;
    assert_eq!(reply.status, 200, "ticket {id}: {}", reply.text);
    reply.json["ticket"].clone()
}

pub async fn update(mock: &Mock, id: i64, ticket: Value) -> Reply {
    mock.admin()
        .put(
            &format!("/api/v2/tickets/{id}.json"),
            json!({ "ticket": ticket }),
        )
        .await
}

/// The comments of a ticket, oldest first.
pub async fn comments(mock: &Mock, id: i64) -> Vec<Value> {
    let reply = mock
        .admin()
        .get(&format!("/api/v2/tickets/{id}/comments.json"))
        .await;
    assert_eq!(reply.status, 200, "comments of {id}: {}", reply.text);
    reply.json["comments"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The id of a live demo ticket, found by subject through the list.
pub async fn demo_ticket(mock: &Mock, subject: &str) -> i64 {
    let reply = mock.admin().get("/api/v2/tickets.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["tickets"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["subject"] == subject)
        .and_then(|t| t["id"].as_i64())
        .unwrap_or_else(|| panic!("no live ticket {subject:?}: {}", reply.text))
}

/// The id of a soft-deleted demo ticket, found by subject in the Deleted Tickets view.
pub async fn deleted_demo_ticket(mock: &Mock, subject: &str) -> i64 {
    let reply = mock.admin().get("/api/v2/deleted_tickets.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["deleted_tickets"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["subject"] == subject)
        .and_then(|t| t["id"].as_i64())
        .unwrap_or_else(|| panic!("no deleted ticket {subject:?}: {}", reply.text))
}

/// The caller's own user id.
pub async fn my_id(mock: &Mock) -> i64 {
    let reply = mock.admin().get("/api/v2/users/me.json").await;
    reply.json["user"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no me: {}", reply.text))
}

/// The ids of a list reply's `key` array, in order.
pub fn ids_of(reply: &Reply, key: &str) -> Vec<i64> {
    reply.json[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} array: {}", reply.text))
        .iter()
        .map(|item| item["id"].as_i64().expect("integer id"))
        .collect()
}

pub fn comma_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
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
    let id = job["id"].as_str().expect("job id is a string");
    let hex = id.strip_prefix("V3-").unwrap_or_default();
    assert!(
        hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()),
        "job id {id:?} is not V3- plus 32 hex digits"
    );
    assert_eq!(
        job["url"],
        format!("{}/api/v2/job_statuses/{id}.json", mock.url)
    );
    let done = wait_for_job(&mock.admin(), id).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["id"], id, "same job");
    assert_eq!(done["progress"], total, "progress at the end: {done}");
    let message = done["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("Completed at ") && message.ends_with(" +0000"),
        "message {message:?} is not like \"Completed at 2023-09-18 23:24:22 +0000\""
    );
    done
}

/// The `results` array of a finished job.
pub fn results(job: &Value) -> Vec<Value> {
    job["results"]
        .as_array()
        .unwrap_or_else(|| panic!("results are not an array: {job}"))
        .clone()
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

/// Checks the reply is Zendesk's 404 RecordNotFound.
pub fn assert_not_found(reply: &Reply, context: &str) {
    assert_eq!(reply.status, 404, "{context}: {}", reply.text);
    assert_eq!(reply.json, not_found(), "{context}");
}
