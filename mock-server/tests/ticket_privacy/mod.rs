//! Helpers shared by `deleted_tickets.rs`, `suspended_tickets.rs`, `requests.rs` and
//! `residue.rs` (tickets in the privacy workflows, over real HTTP, mostly against the demo
//! world): small request helpers, where needles still appear, and polling a job to its end.
//! Each test binary uses only some of them.
#![allow(dead_code)]

use crate::common::json::ids_of;
use crate::common::world::residue;
use crate::common::{ADMIN_TOKEN, Client, Mock, Reply, job_id, wait_for_job};
use reqwest::Method;
use serde_json::{Value, json};

/// Requests as a demo user: every verified demo user authenticates with the account token.
pub fn as_user<'a>(mock: &'a Mock, email: &str) -> Client<'a> {
    mock.as_token(email, ADMIN_TOKEN)
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
    wait_for_job(&mock.admin(), &job_id(job)).await
}
