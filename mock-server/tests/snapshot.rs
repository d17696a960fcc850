//! Snapshots over HTTP (design.md "Control API"): an account's whole state exported with
//! `GET /__mock/snapshot` and imported with `PUT` into a fresh server is the same account —
//! every read of both APIs answers alike, the snapshot reads back byte for byte, and the jobs it
//! held run to the same results afterwards.

mod common;
mod snapshot_world;

use common::Mock;
use common::world::{MARIA_OPEN, create_account, show_ticket, ticket_id};
use serde_json::{Value, json};
use snapshot_world::{BINARY, everything, expect, put_snapshot, rich_world, snapshot};

#[tokio::test]
async fn a_snapshot_put_into_a_fresh_server_is_the_same_account() {
    let original = Mock::start().await;
    let held = rich_world(&original).await;
    let document = snapshot(&original.admin()).await;
    assert_eq!(document["version"], 1);
    assert_eq!(document["accounts"].as_array().map(Vec::len), Some(1));
    let copy = Mock::start().await;
    let restored = expect(put_snapshot(&copy.admin(), &document).await, 200, "PUT");
    assert_eq!(restored["restored"]["subdomain"], "demo");

    assert_eq!(snapshot(&copy.admin()).await, document, "GET after PUT");
    let (before, after) = (everything(&original).await, everything(&copy).await);
    assert!(before.len() > 30, "reads cover the world: {}", before.len());
    for ((path, expected), (_, actual)) in before.iter().zip(&after) {
        assert_eq!(actual, expected, "{path}");
    }
    assert_eq!(before.len(), after.len());
    let bytes = format!("{BINARY:?}");
    assert!(
        after.iter().any(|(_, body)| *body == bytes),
        "the binary attachment's bytes survive"
    );

    // The held jobs still run, in the same order on both servers. (Jobs queued in one frozen
    // second are released in job-id order, not creation order.)
    let mut released = Vec::new();
    for mock in [&original, &copy] {
        let reply = mock.admin().post("/__mock/jobs/release", json!({})).await;
        let ids = expect(reply, 200, "release")["released"].clone();
        released.push(ids);
    }
    assert_eq!(released[0], released[1]);
    let mut ids: Vec<String> = serde_json::from_value(released[0].clone()).expect("ids");
    let mut held = held;
    ids.sort();
    held.sort();
    assert_eq!(ids, held, "every held job is released");
    let jobs = expect(
        copy.admin().get("/api/v2/job_statuses.json").await,
        200,
        "jobs",
    );
    for job in jobs["job_statuses"].as_array().expect("job statuses") {
        assert_eq!(job["status"], "completed", "{job}");
    }
    let held_person = copy.user_id("held@example.com").await;
    assert!(held_person > 0, "the held create_many ran on the copy");
    // An explicit null in held work stays a null: the update cleared the priority.
    let maria = ticket_id(&copy, MARIA_OPEN).await;
    assert_eq!(show_ticket(&copy, maria).await["priority"], Value::Null);
    assert_eq!(
        snapshot(&copy.admin()).await,
        snapshot(&original.admin()).await
    );
    assert_eq!(everything(&copy).await, everything(&original).await);
}

#[tokio::test]
async fn a_snapshot_moves_into_another_account_once_its_tokens_are_its_own() {
    let mock = Mock::start().await;
    rich_world(&mock).await;
    let mut document = snapshot(&mock.admin()).await;
    let copy = create_account(&mock, "copy").await;

    // The demo account holds the document's tokens: one token, one account.
    let reply = put_snapshot(&copy.admin(&mock), &document).await;
    let body = expect(reply, 400, "shared tokens");
    assert!(
        body["description"]
            .as_str()
            .is_some_and(|d| d.contains("belongs to account `demo`")),
        "{body}"
    );

    let account = &mut document["accounts"][0];
    account["api_tokens"] = json!(["copy-token"]);
    account["oauth_tokens"] = json!([]);
    let reply = put_snapshot(&copy.admin(&mock), &document).await;
    assert_eq!(expect(reply, 200, "PUT")["restored"]["subdomain"], "copy");
    let as_copy = mock
        .as_token("admin@example.com", "copy-token")
        .host(&copy.host);
    let mut read = snapshot(&as_copy).await;
    assert_eq!(read["accounts"][0]["subdomain"], "copy");
    read["accounts"][0]["subdomain"] = json!("demo");
    assert_eq!(read, document, "the same state under the new name");
    let old = copy.admin(&mock).get("/api/v2/users/me.json").await;
    assert_eq!(
        old.status, 401,
        "the account's old token went with its old state"
    );
    let demo = mock.admin().get("/api/v2/users/me.json").await;
    assert_eq!(demo.status, 200, "the demo account is untouched");
}

#[tokio::test]
async fn a_snapshot_reads_back_identical_after_every_kind_of_change() {
    let mock = Mock::start().await;
    let admin = mock.admin();
    let empty = snapshot(&admin).await;
    let restore = |document: Value| {
        let admin = mock.admin();
        async move { expect(put_snapshot(&admin, &document).await, 200, "PUT") }
    };
    restore(empty.clone()).await;
    assert_eq!(snapshot(&admin).await, empty, "the demo world as it starts");
    rich_world(&mock).await;
    let rich = snapshot(&admin).await;
    restore(empty.clone()).await;
    assert_eq!(snapshot(&admin).await, empty, "back to the start");
    restore(rich.clone()).await;
    assert_eq!(snapshot(&admin).await, rich, "and forward again");
}

#[tokio::test]
async fn snapshot_calls_need_the_account_admin_and_save_needs_a_state_file() {
    let mock = Mock::start().await;
    let agent = mock.as_token("agent@example.com", "demo-token");
    assert_eq!(agent.get("/__mock/snapshot").await.status, 403);
    assert_eq!(mock.anonymous().get("/__mock/snapshot").await.status, 401);
    let document = snapshot(&mock.admin()).await;
    assert_eq!(put_snapshot(&agent, &document).await.status, 403);
    let save = mock.admin().post("/__mock/snapshot/save", json!({})).await;
    let body = expect(save, 400, "save without --state");
    assert!(
        body["description"]
            .as_str()
            .is_some_and(|d| d.contains("--state")),
        "{body}"
    );
}
