//! `zendesk_mock::MockServer` as a Rust user of another crate sees it: no harness, only the
//! server's own API and an HTTP client. An erasure runs against `MockServer::start()` (async),
//! and a sync test drives a `start_blocking()` server with a blocking client and a frozen
//! clock, through the 30-day purge.

use serde_json::{Value, json};
use std::time::Duration;
use zendesk_mock::MockServer;

const NAME: &str = "Jane Subject";
const EMAIL: &str = "jane.subject@example.org";
const PHONE: &str = "+1 202 555 0142";
const SUBJECT: &str = "Old complaint about order 7731";

/// The owner admin's Basic credentials (`EMAIL/token`, token).
fn credentials(server: &MockServer) -> (String, String) {
    let user = format!("{}/token", server.admin_email());
    (user, server.admin_token().to_owned())
}

/// Sends a request as the owner admin; returns the status and the JSON body (null if none).
async fn call(server: &MockServer, method: reqwest::Method, path: &str) -> (u16, Value) {
    let (user, token) = credentials(server);
    let response = reqwest::Client::new()
        .request(method, format!("{}{path}", server.api_url()))
        .basic_auth(user, Some(token))
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body read");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn get(server: &MockServer, path: &str) -> Value {
    let (status, body) = call(server, reqwest::Method::GET, path).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

async fn delete(server: &MockServer, path: &str, expected: u16) -> Value {
    let (status, body) = call(server, reqwest::Method::DELETE, path).await;
    assert_eq!(status, expected, "DELETE {path}: {body}");
    body
}

/// Polls a job status until it finishes (background jobs finish within milliseconds).
async fn wait_for_job(server: &MockServer, id: &str) -> Value {
    for _ in 0..500 {
        let job = get(server, &format!("/job_statuses/{id}")).await["job_status"].clone();
        if job["status"] == "completed" || job["status"] == "failed" {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    panic!("job {id} did not finish");
}

/// The `type`s of the events after `seq`, oldest first.
fn event_types_after(server: &MockServer, seq: u64) -> Vec<String> {
    server
        .events()
        .iter()
        .filter(|e| e["seq"].as_u64().is_some_and(|s| s > seq))
        .map(|e| e["type"].as_str().expect("an event type").to_owned())
        .collect()
}

#[tokio::test]
async fn an_erasure_against_mock_server_start_leaves_no_residue_and_logs_its_steps_in_order() {
    let server = MockServer::start().await;
    let seeded = server
        .seed(json!({
            "users": [{"ref": "subject", "name": NAME, "email": EMAIL, "phone": PHONE, "verified": true}],
            "tickets": [{"subject": SUBJECT, "requester": "subject", "status": "closed",
                "comments": [{"body": format!("Call me on {PHONE} or write to {EMAIL}.")}]}]
        }))
        .expect("the subject's world is accepted");
    let setup = server
        .events()
        .last()
        .and_then(|e| e["seq"].as_u64())
        .expect("seeding is logged");
    assert!(
        !server.residue(&[EMAIL, PHONE, SUBJECT]).is_empty(),
        "the subject is there before the erasure"
    );

    // Find the subject and their tickets.
    let found = get(&server, &format!("/users/search?query={EMAIL}")).await;
    let user = &found["users"][0];
    assert_eq!(user["id"], seeded["refs"]["subject"], "search: {found}");
    let user = user["id"].as_i64().expect("user id");
    let requested = get(&server, &format!("/users/{user}/tickets/requested")).await;
    let tickets = requested["tickets"].as_array().expect("tickets");
    assert_eq!(tickets.len(), 1, "requested: {requested}");
    assert_eq!(tickets[0]["status"], "closed");
    let ticket = tickets[0]["id"].as_i64().expect("ticket id");

    // A closed ticket cannot be redacted: delete it, then permanently, waiting for the job.
    delete(&server, &format!("/tickets/{ticket}"), 204).await;
    let queued = delete(&server, &format!("/deleted_tickets/{ticket}"), 200).await;
    let job = queued["job_status"]["id"].as_str().expect("job id");
    let done = wait_for_job(&server, job).await;
    assert_eq!(done["status"], "completed", "job: {done}");
    assert_eq!(done["results"], json!({"success": true}), "job: {done}");

    // Then the user: soft delete, then permanent delete.
    let soft = delete(&server, &format!("/users/{user}"), 200).await;
    assert_eq!(soft["user"]["active"], false, "soft delete: {soft}");
    let gone = delete(&server, &format!("/deleted_users/{user}"), 200).await;
    assert_eq!(gone["deleted_user"]["id"], user, "permanent delete: {gone}");

    assert_eq!(server.residue(&[NAME, EMAIL, PHONE, SUBJECT]), vec![]);
    assert_eq!(
        event_types_after(&server, setup),
        [
            "TicketSoftDeleted",
            "JobQueued",
            "TicketPermanentlyDeleted",
            "JobCompleted",
            "UserSoftDeleted",
            "UserPermanentlyDeleted",
        ]
    );
}

#[test]
fn a_blocking_server_serves_a_sync_client_purges_after_30_days_and_stops_on_drop() {
    let server = MockServer::builder()
        .world(json!({"users": [{"name": NAME, "email": EMAIL, "verified": true}]}))
        .clock("2024-03-01T09:00:00Z")
        .start_blocking();
    assert_eq!(
        server.subdomain(),
        "default",
        "a world alone replaces the demo"
    );
    let (user, token) = credentials(&server);
    let http = reqwest::blocking::Client::new();
    let found: Value = http
        .get(format!("{}/users/search", server.api_url()))
        .query(&[("query", EMAIL)])
        .basic_auth(&user, Some(&token))
        .send()
        .and_then(reqwest::blocking::Response::json)
        .expect("search");
    let subject = &found["users"][0];
    assert_eq!(
        subject["created_at"], "2024-03-01T09:00:00Z",
        "the clock is frozen before the world loads"
    );
    let id = subject["id"].as_i64().expect("user id");
    let soft = http
        .delete(format!("{}/users/{id}", server.api_url()))
        .basic_auth(&user, Some(&token))
        .send()
        .expect("soft delete");
    assert_eq!(soft.status(), 200);
    assert!(
        !server.residue(&[EMAIL]).is_empty(),
        "a soft-deleted user keeps their data until the purge"
    );

    let ran = server.advance(Duration::from_secs(30 * 86_400));
    let ran: Vec<(&str, &str, String)> = ran
        .iter()
        .map(|r| (r.at.as_str(), r.task, r.id.clone()))
        .collect();
    assert_eq!(
        ran,
        [("2024-03-31T09:00:00Z", "user_purged", id.to_string())]
    );
    assert_eq!(server.residue(&[NAME, EMAIL]), vec![]);

    let address = server.url().trim_start_matches("http://").to_owned();
    drop(server);
    assert!(
        std::net::TcpStream::connect(&address).is_err(),
        "{address} still accepts connections after the server was dropped"
    );
}
