//! What an account holds, read and steered the way several suites need: the demo world's
//! tickets, a caller's own id, the users an account lists, new accounts, the event log, the
//! residue scan and the clock.

use super::assert::assert_id;
use super::{ADMIN_TOKEN, Client, Mock};
use serde_json::{Value, json};
use zendesk_mock::store::clock::Clock;

/// Demo tickets by subject (src/demo_world.json), named for their requester and status.
pub const MARIA_OPEN: &str = "Problema con l'ordine";
pub const ANA_CLOSED: &str = "Cambio de dirección";
pub const OMAR_SOLVED: &str = "Invoice copy";
pub const PRIYA_PENDING: &str = "Passport scan for verification";
/// Kenji's ticket, soft-deleted in the demo world.
pub const KENJI_DELETED: &str = "Old question";

/// The id of the live ticket with this subject, as the admin lists them.
pub async fn ticket_id(mock: &Mock, subject: &str) -> i64 {
    find_by_subject(mock, "tickets", subject).await
}

/// The id of the soft-deleted ticket with this subject, from the Deleted Tickets view.
pub async fn deleted_ticket_id(mock: &Mock, subject: &str) -> i64 {
    find_by_subject(mock, "deleted_tickets", subject).await
}

async fn find_by_subject(mock: &Mock, list: &str, subject: &str) -> i64 {
    let reply = mock.admin().get(&format!("/api/v2/{list}.json")).await;
    assert_eq!(reply.status, 200, "{list}: {}", reply.text);
    reply.json[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} array: {}", reply.text))
        .iter()
        .find(|t| t["subject"] == subject)
        .and_then(|t| t["id"].as_i64())
        .unwrap_or_else(|| panic!("no {list} entry {subject:?}: {}", reply.text))
}

/// `GET /tickets/{id}` as the admin; asserts 200 and returns the ticket.
pub async fn show_ticket(mock: &Mock, id: i64) -> Value {
    let reply = mock
        .admin()
        .get(&format!("/api/v2/tickets/{id}.json"))
        .await;
    assert_eq!(reply.status, 200, "ticket {id}: {}", reply.text);
    reply.json["ticket"].clone()
}

/// Every comment of a ticket as the admin sees them, oldest first.
pub async fn comments(mock: &Mock, ticket: i64) -> Vec<Value> {
    let reply = mock
        .admin()
        .get(&format!("/api/v2/tickets/{ticket}/comments.json"))
        .await;
    assert_eq!(reply.status, 200, "comments of {ticket}: {}", reply.text);
    reply.json["comments"]
        .as_array()
        .unwrap_or_else(|| panic!("no comments array: {}", reply.text))
        .clone()
}

/// The id of the user `email` (who authenticates with the account token), from `/users/me`.
pub async fn my_id(mock: &Mock, email: &str) -> i64 {
    let reply = mock
        .as_token(email, ADMIN_TOKEN)
        .get("/api/v2/users/me.json")
        .await;
    assert_eq!(reply.status, 200, "me as {email}: {}", reply.text);
    assert_id(&reply.json["user"]["id"], "me.id")
}

/// Emails of the active users the client's account lists, sorted.
pub async fn listed_emails(client: &Client<'_>) -> Vec<String> {
    let reply = client.get("/api/v2/users.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut emails: Vec<String> = reply.json["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|u| u["email"].as_str().unwrap_or_default().to_owned())
        .collect();
    emails.sort();
    emails
}

/// An account made through the control API: its owner's credentials and its `Host`.
pub struct NewAccount {
    pub email: String,
    pub token: String,
    /// `{subdomain}.localhost:{port}`
    pub host: String,
}

impl NewAccount {
    /// Requests as this account's owner, addressed by its subdomain.
    pub fn admin<'a>(&self, mock: &'a Mock) -> Client<'a> {
        mock.as_token(&self.email, &self.token).host(&self.host)
    }
}

/// Creates account `subdomain` through the control API (`POST /__mock/accounts`).
pub async fn create_account(mock: &Mock, subdomain: &str) -> NewAccount {
    let reply = mock
        .anonymous()
        .post("/__mock/accounts", json!({"subdomain": subdomain}))
        .await;
    assert_eq!(reply.status, 201, "creating {subdomain}: {}", reply.text);
    let admin = &reply.json["account"]["admin"];
    NewAccount {
        email: admin["email"].as_str().expect("admin email").to_owned(),
        token: admin["token"].as_str().expect("admin token").to_owned(),
        host: format!("{subdomain}.localhost:{}", mock.port()),
    }
}

/// The client's account's event log (`GET /__mock/events`), oldest first.
pub async fn events(client: &Client<'_>) -> Vec<Value> {
    let reply = client.get("/__mock/events").await;
    assert_eq!(reply.status, 200, "GET /__mock/events: {}", reply.text);
    reply.json["events"]
        .as_array()
        .unwrap_or_else(|| panic!("GET /__mock/events has no events array: {}", reply.text))
        .clone()
}

/// The `type` of each event, oldest first.
pub async fn event_types(client: &Client<'_>) -> Vec<String> {
    types_of(events(client).await.iter())
}

/// The `type` of each event whose `key` (`user_id`, `ticket_id`, …) is `id`, oldest first.
pub async fn event_types_about(client: &Client<'_>, key: &str, id: i64) -> Vec<String> {
    types_of(events(client).await.iter().filter(|e| e[key] == id))
}

fn types_of<'e>(events: impl Iterator<Item = &'e Value>) -> Vec<String> {
    events
        .map(|e| e["type"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// `POST /__mock/residue` as the admin: every place a needle still appears,
/// `{needle, kind, id, field}`.
pub async fn residue(mock: &Mock, needles: &[&str]) -> Vec<Value> {
    let reply = mock
        .admin()
        .post("/__mock/residue", json!({ "needles": needles }))
        .await;
    assert_eq!(reply.status, 200, "residue scan: {}", reply.text);
    reply.json["residue"].as_array().expect("residue").clone()
}

/// The `kind`s of residue hits, sorted and deduplicated.
pub fn kinds(hits: &[Value]) -> Vec<String> {
    let mut kinds: Vec<String> = hits
        .iter()
        .map(|h| h["kind"].as_str().unwrap_or_default().to_owned())
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// Freezes the default account's clock at `at` (Unix seconds), writing the in-process state
/// the harness exposes.
pub fn freeze_clock(mock: &Mock, at: i64) {
    mock.state
        .registry
        .default_account()
        .expect("default account")
        .write(|data| data.clock = Clock::frozen(at));
}
