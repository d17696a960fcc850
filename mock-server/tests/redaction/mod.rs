//! Helpers shared by `redact_string.rs`, `redact_markup.rs` and `attachments.rs` (comment and
//! attachment redaction over real HTTP, facts §5): a world with an agent and an end user,
//! tickets made through the API, comment and audit readers, uploads, and the 422 of a refused
//! redaction. Each test binary uses only some of them.
#![allow(dead_code)]

use crate::common::assert::assert_id;
use crate::common::world::comments;
use crate::common::{ADMIN_EMAIL, ADMIN_TOKEN, Client, Mock, Reply};
use reqwest::Method;
use serde_json::{Value, json};

/// U+2587, one per redacted character (facts §5.3).
pub const BLOCK: char = '▇';
pub const AGENT: &str = "agent@example.com";
pub const END_USER: &str = "jane.requester@example.com";

/// `n` blocks.
pub fn blocks(n: usize) -> String {
    std::iter::repeat_n(BLOCK, n).collect()
}

/// A server whose account holds the owner admin, an agent and a (verified) end user.
pub async fn world() -> Mock {
    Mock::seeded(json!({"users": [
        {"name": "Alex Agent", "email": AGENT, "role": "agent", "verified": true},
        {"name": "Jane Requester", "email": END_USER, "verified": true},
    ]}))
    .await
}

pub fn agent(mock: &Mock) -> Client<'_> {
    mock.as_token(AGENT, ADMIN_TOKEN)
}

pub fn end_user(mock: &Mock) -> Client<'_> {
    mock.as_token(END_USER, ADMIN_TOKEN)
}

/// Creates a ticket (as the admin, for the end user) whose first comment is `comment`; returns
/// (ticket id, comment id).
pub async fn create_ticket(mock: &Mock, comment: Value) -> (i64, i64) {
    let reply = mock
        .admin()
        .post(
            "/api/v2/tickets.json",
            json!({"ticket": {"subject": "Redaction test", "requester": END_USER, "comment": comment}}),
        )
        .await;
    assert_eq!(reply.status, 201, "creating a ticket: {}", reply.text);
    let ticket = reply.json["ticket"]["id"].as_i64().expect("ticket id");
    let comments = comments(mock, ticket).await;
    (ticket, comments[0]["id"].as_i64().expect("comment id"))
}

/// Adds a comment to a ticket as the admin; returns its id.
pub async fn add_comment(mock: &Mock, ticket: i64, comment: Value) -> i64 {
    let reply = mock
        .admin()
        .put(
            &format!("/api/v2/tickets/{ticket}.json"),
            json!({"ticket": {"comment": comment}}),
        )
        .await;
    assert_eq!(reply.status, 200, "adding a comment: {}", reply.text);
    let comments = comments(mock, ticket).await;
    comments.last().and_then(|c| c["id"].as_i64()).expect("id")
}

/// Moves a ticket straight to `closed` (the API allows it, facts §4.2).
pub async fn close_ticket(mock: &Mock, ticket: i64) {
    let reply = mock
        .admin()
        .put(
            &format!("/api/v2/tickets/{ticket}.json"),
            json!({"ticket": {"status": "closed"}}),
        )
        .await;
    assert_eq!(reply.status, 200, "closing ticket {ticket}: {}", reply.text);
    assert_eq!(reply.json["ticket"]["status"], "closed");
}

/// One comment of a ticket, read back through the comments list.
pub async fn comment_of(mock: &Mock, ticket: i64, comment: i64) -> Value {
    comments(mock, ticket)
        .await
        .into_iter()
        .find(|c| c["id"] == comment)
        .unwrap_or_else(|| panic!("ticket {ticket} has no comment {comment}"))
}

/// The `Comment` event of the audit that added `comment` (found by the comment's `audit_id`).
pub async fn audit_event_of(mock: &Mock, ticket: i64, comment: &Value) -> Value {
    let reply = mock
        .admin()
        .get(&format!("/api/v2/tickets/{ticket}/audits.json"))
        .await;
    assert_eq!(reply.status, 200, "listing audits: {}", reply.text);
    let audit = reply.json["audits"]
        .as_array()
        .expect("audits")
        .iter()
        .find(|a| a["id"] == comment["audit_id"])
        .unwrap_or_else(|| panic!("no audit {} in {}", comment["audit_id"], reply.text))
        .clone();
    audit["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["type"] == "Comment")
        .unwrap_or_else(|| panic!("audit without a Comment event: {audit}"))
        .clone()
}

/// `POST /api/v2/uploads.json?filename=…[&token=…]` with a raw text body, as the admin.
pub async fn upload(
    mock: &Mock,
    file_name: &str,
    content_type: &str,
    content: &str,
    token: Option<&str>,
) -> Reply {
    let mut path = format!("/api/v2/uploads.json?filename={file_name}");
    if let Some(token) = token {
        path.push_str(&format!("&token={token}"));
    }
    mock.admin()
        .send_raw(Method::POST, &path, Some(content_type), content)
        .await
}

/// Uploads one text file and returns (upload token, attachment object).
pub async fn upload_file(mock: &Mock, file_name: &str, content: &str) -> (String, Value) {
    let reply = upload(mock, file_name, "text/plain", content, None).await;
    assert_eq!(reply.status, 201, "uploading {file_name}: {}", reply.text);
    let upload = &reply.json["upload"];
    let token = upload["token"].as_str().expect("token").to_owned();
    (token, upload["attachment"].clone())
}

/// GET of an absolute content URL without credentials (the token in the URL is the
/// credential): (status, content type, bytes).
pub async fn fetch_content(mock: &Mock, url: &str) -> (u16, String, Vec<u8>) {
    let response = mock.http.get(url).send().await.expect("content fetched");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response.bytes().await.expect("content read").to_vec();
    (status, content_type, bytes)
}

/// `GET /api/v2/attachments/{id}` as the admin.
pub async fn show_attachment(mock: &Mock, id: i64) -> Reply {
    mock.admin()
        .get(&format!("/api/v2/attachments/{id}.json"))
        .await
}

/// Turns "Agents can delete tickets" on or off.
pub async fn set_agents_can_delete_tickets(mock: &Mock, allowed: bool) {
    let reply = mock
        .admin()
        .patch(
            "/__mock/settings",
            json!({ "agents_can_delete_tickets": allowed }),
        )
        .await;
    assert_eq!(reply.status, 200, "settings: {}", reply.text);
    assert_eq!(reply.json["settings"]["agents_can_delete_tickets"], allowed);
}

/// A 422 RecordInvalid whose details name exactly `field`.
pub fn assert_record_invalid(reply: &Reply, field: &str, context: &str) {
    assert_eq!(reply.status, 422, "{context}: {}", reply.text);
    assert_eq!(
        reply.json["error"], "RecordInvalid",
        "{context}: {}",
        reply.text
    );
    assert_eq!(
        reply.json["description"], "Record validation errors",
        "{context}"
    );
    let details = reply.json["details"].as_object().expect("details");
    let fields: Vec<&String> = details.keys().collect();
    assert_eq!(fields, [field], "{context}: {}", reply.text);
    assert!(
        details[field][0]["description"].is_string(),
        "{context}: {}",
        reply.text
    );
}

/// An attachment's `url` and `content_url` as the mock builds them for `origin`.
pub fn assert_attachment_urls(attachment: &Value, origin: &str, context: &str) {
    let id = assert_id(&attachment["id"], context);
    assert_eq!(
        attachment["url"],
        format!("{origin}/api/v2/attachments/{id}.json"),
        "{context}"
    );
    let content_url = attachment["content_url"].as_str().expect("content_url");
    assert!(
        content_url.starts_with(&format!("{origin}/attachments/token/")),
        "{context}: {content_url}"
    );
    assert_eq!(attachment["mapped_content_url"], content_url, "{context}");
}

/// The admin's own id, for author checks.
pub async fn admin_id(mock: &Mock) -> i64 {
    mock.user_id(ADMIN_EMAIL).await
}
