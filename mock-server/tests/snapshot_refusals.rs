//! `PUT /__mock/snapshot` refuses every document it cannot load faithfully — not JSON, another
//! format version, an unknown field, an id twice, a dangling reference, counters behind the
//! ids, a token of another account — with a 400 naming the problem, and the account is left
//! exactly as it was.

mod common;
mod snapshot_world;

use common::Mock;
use common::world::create_account;
use reqwest::Method;
use serde_json::{Value, json};
use snapshot_world::{put_snapshot, rich_world, snapshot};

/// A change to a valid document, and a phrase the refusal must contain.
type Case = (&'static str, fn(&mut Value), &'static str);

fn account(document: &mut Value) -> &mut Value {
    &mut document["accounts"][0]
}

const CASES: &[Case] = &[
    ("a newer version", |d| d["version"] = json!(2), "newer"),
    (
        "version 0",
        |d| d["version"] = json!(0),
        "unknown format version",
    ),
    (
        "no version",
        |d| drop(d.as_object_mut().map(|o| o.remove("version"))),
        "no `version`",
    ),
    ("not an object", |d| *d = json!([1]), "not a snapshot"),
    (
        "an unknown top-level field",
        |d| d["comment"] = json!("hi"),
        "unknown field",
    ),
    (
        "an unknown user field",
        |d| account(d)["users"][0]["nickname"] = json!("x"),
        "unknown field",
    ),
    (
        "an unknown field on a unit variant",
        |d| account(d)["users"][0]["lifecycle"]["why"] = json!(1),
        "unknown field",
    ),
    (
        "an unknown event field",
        |d| account(d)["events"]["entries"][0]["extra"] = json!(1),
        "unknown field",
    ),
    (
        "two accounts",
        |d| {
            let copy = account(d).clone();
            d["accounts"].as_array_mut().expect("accounts").push(copy);
        },
        "PUT takes one",
    ),
    (
        "no accounts",
        |d| d["accounts"] = json!([]),
        "PUT takes one",
    ),
    (
        "a user listed twice",
        |d| {
            let users = account(d)["users"].as_array_mut().expect("users");
            users.push(users[1].clone());
        },
        "listed twice",
    ),
    (
        "an identity of a missing user",
        |d| account(d)["identities"][0]["user_id"] = json!(42),
        "names user 42",
    ),
    (
        "two active users sharing an email",
        |d| {
            let owner_email = account(d)["identities"][0]["value"].clone();
            account(d)["identities"][2]["value"] = owner_email;
        },
        "share the email",
    ),
    (
        "a comment of a missing ticket",
        |d| account(d)["comments"][0]["ticket_id"] = json!(99_999),
        "comment",
    ),
    (
        "an owner who is no admin",
        |d| {
            let agent = account(d)["users"][1]["id"].clone();
            account(d)["owner_id"] = agent;
        },
        "not an active admin",
    ),
    (
        "id counters behind the ids",
        |d| account(d)["ids"]["next"] = json!(1),
        "counters",
    ),
    (
        "ticket counter behind",
        |d| account(d)["ids"]["next_ticket"] = json!(1),
        "counters",
    ),
    (
        "a job id the counter never issued",
        |d| {
            account(d)["jobs"][0]["id"] = json!("V3-00000000000000000000000000000000");
        },
        "job id",
    ),
    (
        "an unknown job type",
        |d| account(d)["jobs"][0]["job_type"] = json!("Bulk Frobnicate"),
        "unknown job type",
    ),
    (
        "a held job without its work",
        |d| account(d)["jobs"][0]["work"] = Value::Null,
        "has no work",
    ),
    (
        "attachment bytes that are not base64",
        |d| account(d)["attachments"][0]["content"] = json!("%%"),
        "base64",
    ),
    (
        "a string where a number belongs",
        |d| account(d)["tickets"][0]["id"] = json!("1"),
        "invalid type",
    ),
    (
        "events out of order",
        |d| account(d)["events"]["next_seq"] = json!(1),
        "seq",
    ),
    (
        "an empty API token",
        |d| account(d)["api_tokens"] = json!([""]),
        "API tokens",
    ),
];

#[tokio::test]
async fn every_invalid_document_is_a_400_that_changes_nothing() {
    let source = Mock::start().await;
    rich_world(&source).await;
    let valid = snapshot(&source.admin()).await;
    let target = Mock::start().await;
    let before = snapshot(&target.admin()).await;
    for (name, change, expected) in CASES {
        let mut document = valid.clone();
        change(&mut document);
        let reply = put_snapshot(&target.admin(), &document).await;
        assert_eq!(reply.status, 400, "{name}: {}", reply.text);
        assert_eq!(reply.json["error"], "InvalidJSON", "{name}");
        let description = reply.json["description"].as_str().unwrap_or_default();
        assert!(description.contains(expected), "{name}: {description}");
        assert_eq!(
            snapshot(&target.admin()).await,
            before,
            "{name}: nothing changed"
        );
    }
    let unchanged = put_snapshot(&target.admin(), &valid).await;
    assert_eq!(
        unchanged.status, 200,
        "the valid document loads: {}",
        unchanged.text
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused() {
    let mock = Mock::start().await;
    let before = snapshot(&mock.admin()).await;
    for body in [r#"{"version":1,"accounts":["#, "", "null"] {
        let reply = mock
            .admin()
            .send_raw(
                Method::PUT,
                "/__mock/snapshot",
                Some("application/json"),
                body,
            )
            .await;
        assert_eq!(reply.status, 400, "{body:?}: {}", reply.text);
    }
    assert_eq!(snapshot(&mock.admin()).await, before);
}

#[tokio::test]
async fn a_token_of_another_account_is_refused() {
    let mock = Mock::start().await;
    let other = create_account(&mock, "other").await;
    let mut document = snapshot(&mock.admin()).await;
    let before = document.clone();
    account(&mut document)["api_tokens"] = json!(["demo-token", other.token]);
    let reply = put_snapshot(&mock.admin(), &document).await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert!(
        reply.text.contains("belongs to account `other`"),
        "{}",
        reply.text
    );
    assert_eq!(snapshot(&mock.admin()).await, before);
    let theirs = other.admin(&mock).get("/api/v2/users/me.json").await;
    assert_eq!(theirs.status, 200, "the other account keeps its token");
}
