//! Helpers shared by `deleted_tickets.rs`, `suspended_tickets.rs`, `requests.rs` and
//! `residue.rs` (tickets in the privacy workflows, over real HTTP, mostly against the demo
//! world): Zendesk's error bodies, checks of ids and timestamps, and small request helpers.
//! Each test binary uses only some of them.
#![allow(dead_code)]

use crate::common::{ADMIN_TOKEN, Client, Mock, Reply, wait_for_job};
use reqwest::Method;
use serde_json::{Value, json};

/// The demo world's ticket subjects (`src/demo_world.json`).
pub const MARIA_SUBJECT: &str = "Problema con l'ordine";
pub const ANA_SUBJECT: &str = "Cambio de dirección";
pub const OMAR_SUBJECT: &str = "Invoice copy";
pub const PRIYA_SUBJECT: &str = "Passport scan for verification";
/// Kenji's ticket, soft-deleted in the demo world.
pub const KENJI_SUBJECT: &str = "Old question";

pub const FORBIDDEN: &str = "You do not have access to this page. Please contact the account owner of this help desk for further help.";

pub fn not_found() -> Value {
    json!({"error": "RecordNotFound", "description": "Not found"})
}

pub fn forbidden() -> Value {
    json!({"error": "Forbidden", "description": FORBIDDEN})
}

/// The recorded TooManyValues body (facts §2; the double space is Zendesk's).
pub fn too_many_values() -> Value {
    json!({
        "error": "TooManyValues",
        "description": "Parameter  cannot specify more than 100 values",
        "max_count": 100
    })
}

pub fn assert_not_found(reply: &Reply, case: &str) {
    assert_eq!(reply.status, 404, "{case}: {}", reply.text);
    assert_eq!(reply.json, not_found(), "{case}");
}

pub fn assert_forbidden(reply: &Reply, case: &str) {
    assert_eq!(reply.status, 403, "{case}: {}", reply.text);
    assert_eq!(reply.json, forbidden(), "{case}");
}

/// `2023-09-18T23:28:11Z`: ISO-8601 UTC, seconds, no fraction (facts §1).
pub fn assert_timestamp(value: &Value, what: &str) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{what} is not a string: {value}"));
    let shape = "####-##-##T##:##:##Z";
    let ok = text.len() == shape.len()
        && text.chars().zip(shape.chars()).all(|(c, s)| match s {
            '#' => c.is_ascii_digit(),
            _ => c == s,
        });
    assert!(ok, "{what} {text:?} is not like 2023-09-18T23:28:11Z");
}

/// The keys of a JSON object, in order.
pub fn keys(object: &Value) -> Vec<&str> {
    object
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {object}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// The ids of the items under `key` in a list reply.
pub fn ids_of(reply: &Reply, key: &str) -> Vec<i64> {
    reply.json[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} list: {}", reply.text))
        .iter()
        .map(|item| item["id"].as_i64().expect("numeric id"))
        .collect()
}

pub fn comma_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Requests as a demo user: every verified demo user authenticates with the account token.
pub fn as_user<'a>(mock: &'a Mock, email: &str) -> Client<'a> {
    mock.as_token(email, ADMIN_TOKEN)
}

/// The id of the active ticket with this subject, as the admin lists them.
pub async fn ticket_id(mock: &Mock, subject: &str) -> i64 {
    let reply = mock.admin().get("/api/v2/tickets.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .find(|t| t["subject"] == subject)
        .and_then(|t| t["id"].as_i64())
        .unwrap_or_else(|| panic!("no active ticket {subject:?}: {}", reply.text))
}

/// The id of the soft-deleted ticket with this subject.
pub async fn deleted_ticket_id(mock: &Mock, subject: &str) -> i64 {
    let reply = mock.admin().get("/api/v2/deleted_tickets.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["deleted_tickets"]
        .as_array()
        .expect("deleted_tickets")
        .iter()
        .find(|t| t["subject"] == subject)
        .and_then(|t| t["id"].as_i64())
        .unwrap_or_else(|| panic!("no deleted ticket {subject:?}: {}", reply.text))
}

/// The ticket as the admin sees it (200 expected).
pub async fn show_ticket(mock: &Mock, id: i64) -> Value {
    let reply = mock
        .admin()
        .get(&format!("/api/v2/tickets/{id}.json"))
        .await;
    assert_eq!(reply.status, 200, "ticket {id}: {}", reply.text);
    reply.json["ticket"].clone()
}

/// Ids of the tickets the admin lists.
pub async fn active_ticket_ids(mock: &Mock) -> Vec<i64> {
    let reply = mock.admin().get("/api/v2/tickets.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    ids_of(&reply, "tickets")
}

/// Ids in the Deleted Tickets view.
pub async fn deleted_ticket_ids(mock: &Mock) -> Vec<i64> {
    let reply = mock.admin().get("/api/v2/deleted_tickets.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    ids_of(&reply, "deleted_tickets")
}

/// `DELETE /tickets/{id}` as the admin: 204, no body.
pub async fn soft_delete(mock: &Mock, id: i64) {
    let reply = mock
        .admin()
        .delete(&format!("/api/v2/tickets/{id}.json"))
        .await;
    assert_eq!(reply.status, 204, "soft delete {id}: {}", reply.text);
    assert_eq!(reply.text, "", "soft delete {id} has no body");
}

/// The suspended-tickets queue as the admin lists it.
pub async fn suspended_queue(mock: &Mock) -> Vec<Value> {
    let reply = mock.admin().get("/api/v2/suspended_tickets.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["suspended_tickets"]
        .as_array()
        .expect("suspended_tickets")
        .clone()
}

/// `PUT /users/{id} {"user":{"suspended":...}}` as the admin.
pub async fn set_suspended(mock: &Mock, user_id: i64, suspended: bool) {
    let reply = mock
        .admin()
        .put(
            &format!("/api/v2/users/{user_id}.json"),
            json!({"user": {"suspended": suspended}}),
        )
        .await;
    assert_eq!(reply.status, 200, "suspend {user_id}: {}", reply.text);
    assert_eq!(reply.json["user"]["suspended"], suspended, "{}", reply.text);
}

/// `POST /__mock/inbound/email`: an email arriving at the support address.
pub async fn inbound_email(
    mock: &Mock,
    name: &str,
    email: &str,
    subject: &str,
    body: &str,
) -> Reply {
    mock.admin()
        .post(
            "/__mock/inbound/email",
            json!({"name": name, "email": email, "subject": subject, "body": body}),
        )
        .await
}

/// `POST /__mock/residue` as the admin: every hit, `{needle, kind, id, field}`.
pub async fn residue(mock: &Mock, needles: &[&str]) -> Vec<Value> {
    let reply = mock
        .admin()
        .post("/__mock/residue", json!({ "needles": needles }))
        .await;
    assert_eq!(reply.status, 200, "residue: {}", reply.text);
    reply.json["residue"].as_array().expect("residue").clone()
}

/// The `type` of each event about ticket `id`, oldest first.
pub async fn ticket_events(mock: &Mock, id: i64) -> Vec<String> {
    let reply = mock.admin().get("/__mock/events").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["ticket_id"] == id)
        .map(|e| e["type"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// A job id in the recorded live form, `V3-` and 32 hex digits, and its url on this server
/// ending `.json` (facts §1, §6).
pub fn assert_job_forms(mock: &Mock, job: &Value) {
    let id = job["id"]
        .as_str()
        .unwrap_or_else(|| panic!("job id: {job}"));
    let hex = id.strip_prefix("V3-").unwrap_or_default();
    assert!(
        hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()),
        "job id {id:?} is not V3- plus 32 hex digits"
    );
    assert_eq!(
        job["url"],
        format!("{}/api/v2/job_statuses/{id}.json", mock.url)
    );
}

/// `Completed at 2023-09-18 23:34:53 +0000`, the recorded form (facts §6).
pub fn assert_completed_message(message: &Value) {
    let text = message.as_str().unwrap_or_default();
    let shape = "Completed at ####-##-## ##:##:## +0000";
    let ok = text.len() == shape.len()
        && text.chars().zip(shape.chars()).all(|(c, s)| match s {
            '#' => c.is_ascii_digit(),
            _ => c == s,
        });
    assert!(
        ok,
        "message {message} is not like \"Completed at 2023-09-18 23:34:53 +0000\""
    );
}

/// Where the needles still appear, as sorted, distinct `kind field` strings.
pub async fn residue_places(mock: &Mock, needles: &[&str]) -> Vec<String> {
    let mut places: Vec<String> = residue(mock, needles)
        .await
        .iter()
        .map(|hit| {
            format!(
                "{} {}",
                hit["kind"].as_str().unwrap_or_default(),
                hit["field"].as_str().unwrap_or_default()
            )
        })
        .collect();
    places.sort();
    places.dedup();
    places
}

/// Sends `method /api/v2/{path}` with no body.
pub async fn call(client: &Client<'_>, method: &Method, path: &str) -> Reply {
    client
        .send(method.clone(), &format!("/api/v2/{path}"), None)
        .await
}

/// `DELETE /deleted_tickets/{id}` as the admin: the job status it answers (200 expected).
pub async fn permanently_delete(mock: &Mock, id: i64) -> Value {
    let reply = call(
        &mock.admin(),
        &Method::DELETE,
        &format!("deleted_tickets/{id}"),
    )
    .await;
    assert_eq!(reply.status, 200, "permanent delete {id}: {}", reply.text);
    reply.json["job_status"].clone()
}

/// Polls a job status to its end.
pub async fn finished(mock: &Mock, job: &Value) -> Value {
    wait_for_job(&mock.admin(), job["id"].as_str().expect("job id")).await
}
