//! Helpers shared by the `snapshot*` test files: a world that uses every part of an account's
//! state, the snapshot calls, and every read the APIs offer, for comparing two servers.
#![allow(dead_code)]

use crate::common::world::{deleted_ticket_id, ticket_id};
use crate::common::{Client, Mock, Reply};
use reqwest::Method;
use serde_json::{Value, json};

/// Bytes that are not UTF-8, so base64 must carry them exactly.
pub const BINARY: &[u8] = &[0, 159, 146, 150, 255, 10, b'P', b'I', b'I'];

/// The demo world, then: settings changed; the clock frozen; a ticket whose comment carries a
/// binary attachment; an upload no comment claimed; a permanently deleted user; a suspended
/// user; and, held in manual mode, four jobs (users created with explicit nulls, users
/// destroyed, tickets updated, a ticket permanently deleted). Returns the held job ids.
pub async fn rich_world(mock: &Mock) -> Vec<String> {
    let admin = mock.admin();
    let settings = json!({"job_mode": "manual", "solved_to_closed_days": 7, "locale": "de",
        "agents_can_delete_tickets": false, "plan": "team"});
    expect(
        admin.patch("/__mock/settings", settings).await,
        200,
        "settings",
    );
    // Frozen where it stands: a jump ahead would run the 30-day purges on the demo world.
    let clock = json!({"frozen": true});
    expect(admin.put("/__mock/clock", clock).await, 200, "clock");
    let token = upload(mock, "scan.bin", BINARY).await;
    upload(mock, "unclaimed.txt", b"never attached").await;
    let nora = mock.create_user("Nora North", "nora@example.com").await;
    let ticket = json!({"ticket": {"subject": "Binary scan", "requester_id": nora,
        "comment": {"body": "See the scan", "uploads": [token]}, "tags": ["scan"]}});
    expect(
        admin.post("/api/v2/tickets.json", ticket).await,
        201,
        "ticket",
    );
    let dana = deleted_user(mock, "Dana Deleted").await;
    let gone = admin
        .delete(&format!("/api/v2/deleted_users/{dana}.json"))
        .await;
    expect(gone, 200, "permanent delete");
    let sam = json!({"user": {"suspended": true}});
    let sofia = mock.user_id("sofia.novak@example.com").await;
    expect(
        admin.put(&format!("/api/v2/users/{sofia}.json"), sam).await,
        200,
        "suspend",
    );
    let create = json!({"users": [{"name": "Held Person", "email": "held@example.com",
        "external_id": null, "phone": "+1 202 555 0177", "verified": "true",
        "user_fields": {"tier": "gold"}, "shoe_size": 44}]});
    let mut jobs = vec![job(admin
        .post("/api/v2/users/create_many.json", create)
        .await)];
    let omar = mock.user_id("omar.haddad@example.com").await;
    let li = mock.user_id("li.wei@example.cn").await;
    let destroy = format!("/api/v2/users/destroy_many.json?ids={omar},{li}");
    jobs.push(job(admin.delete(&destroy).await));
    let open = ticket_id(mock, "Problema con l'ordine").await;
    let changes = json!({"tickets": [{"id": open, "priority": null, "assignee_id": null,
        "additional_tags": ["moved"], "comment": {"body": "Moved.", "public": false}}]});
    jobs.push(job(admin
        .put("/api/v2/tickets/update_many.json", changes)
        .await));
    let kenji = deleted_ticket_id(mock, "Old question").await;
    let purge = admin
        .delete(&format!("/api/v2/deleted_tickets/{kenji}.json"))
        .await;
    jobs.push(job(purge));
    jobs
}

/// Uploads `bytes`; returns the upload token.
pub async fn upload(mock: &Mock, file_name: &str, bytes: &[u8]) -> String {
    let response = mock
        .http
        .post(format!(
            "{}/api/v2/uploads.json?filename={file_name}",
            mock.url
        ))
        .basic_auth("admin@example.com/token", Some("demo-token"))
        .header("content-type", "application/binary")
        .body(bytes.to_vec())
        .send()
        .await
        .expect("upload sent");
    assert_eq!(response.status().as_u16(), 201, "uploading {file_name}");
    let body: Value = response.json().await.expect("upload body");
    body["upload"]["token"].as_str().expect("token").to_owned()
}

/// The id of the soft-deleted user named `name`.
async fn deleted_user(mock: &Mock, name: &str) -> i64 {
    let reply = mock.admin().get("/api/v2/deleted_users.json").await;
    let users = expect(reply, 200, "deleted users");
    users["deleted_users"]
        .as_array()
        .and_then(|all| all.iter().find(|u| u["name"] == name))
        .and_then(|u| u["id"].as_i64())
        .unwrap_or_else(|| panic!("no deleted user {name}: {users}"))
}

/// The id of a queued job status.
fn job(reply: Reply) -> String {
    let body = expect(reply, 200, "bulk call");
    assert_eq!(body["job_status"]["status"], "queued", "{body}");
    body["job_status"]["id"]
        .as_str()
        .expect("job id")
        .to_owned()
}

/// The body of a reply with this status.
pub fn expect(reply: Reply, status: u16, what: &str) -> Value {
    assert_eq!(reply.status, status, "{what}: {}", reply.text);
    reply.json
}

/// `GET /__mock/snapshot` as `client`.
pub async fn snapshot(client: &Client<'_>) -> Value {
    expect(client.get("/__mock/snapshot").await, 200, "GET snapshot")
}

/// `PUT /__mock/snapshot` as `client`.
pub async fn put_snapshot(client: &Client<'_>, document: &Value) -> Reply {
    client.put("/__mock/snapshot", document.clone()).await
}

/// Every read of the Zendesk API and the control API over the demo owner's account: lists,
/// each user's identities, each ticket's comments and audits, each attachment and its bytes,
/// settings, clock, events, ticket records. As (path, body) with the server's own address
/// replaced, so two servers compare. The journal is left out: it is traffic, not state.
pub async fn everything(mock: &Mock) -> Vec<(String, String)> {
    let admin = mock.admin();
    let mut reads = Vec::new();
    let mut paths: Vec<String> = [
        "/api/v2/users.json",
        "/api/v2/deleted_users.json",
        "/api/v2/tickets.json",
        "/api/v2/deleted_tickets.json",
        "/api/v2/suspended_tickets.json",
        "/api/v2/job_statuses.json",
        "/__mock/settings",
        "/__mock/clock",
        "/__mock/events",
        "/__mock/ticket_records",
    ]
    .map(str::to_owned)
    .to_vec();
    let users = expect(admin.get("/api/v2/users.json").await, 200, "users");
    for id in ids(&users["users"]) {
        paths.push(format!("/api/v2/users/{id}/identities.json"));
    }
    let tickets = expect(admin.get("/api/v2/tickets.json").await, 200, "tickets");
    for id in ids(&tickets["tickets"]) {
        paths.push(format!("/api/v2/tickets/{id}/comments.json"));
        paths.push(format!("/api/v2/tickets/{id}/audits.json"));
        let comments = expect(
            admin
                .get(&format!("/api/v2/tickets/{id}/comments.json"))
                .await,
            200,
            "comments",
        );
        for comment in comments["comments"].as_array().into_iter().flatten() {
            for attachment in comment["attachments"].as_array().into_iter().flatten() {
                paths.push(format!("/api/v2/attachments/{}.json", attachment["id"]));
                let url = attachment["content_url"].as_str().expect("content url");
                let bytes = mock.http.get(url).send().await.expect("content");
                let bytes = bytes.bytes().await.expect("bytes").to_vec();
                reads.push((url.replace(&mock.url, "ORIGIN"), format!("{bytes:?}")));
            }
        }
    }
    for path in paths {
        let reply = admin.send(Method::GET, &path, None).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        reads.push((path, reply.text.replace(&mock.url, "ORIGIN")));
    }
    reads
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item["id"].as_i64())
        .collect()
}
