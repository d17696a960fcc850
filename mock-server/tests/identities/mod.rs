//! Helpers shared by the `identities_*` test files (user identities over real HTTP): identity
//! paths, listing and adding identities, Zendesk's 403 and 404 bodies, and the forms of the
//! fields snapshots redact. Each test binary uses only some of them.
#![allow(dead_code)]

use crate::common::{Mock, Reply};
use serde_json::{Value, json};

pub const FORBIDDEN: &str = "You do not have access to this page. Please contact the account owner of this help desk for further help.";

pub fn identities_path(user_id: i64) -> String {
    format!("/api/v2/users/{user_id}/identities.json")
}

pub fn identity_path(user_id: i64, id: i64) -> String {
    format!("/api/v2/users/{user_id}/identities/{id}.json")
}

/// The `identities` array of a list reply, after checking the status.
pub fn identities_of(reply: &Reply, context: &str) -> Vec<Value> {
    assert_eq!(reply.status, 200, "{context}: {}", reply.text);
    reply.json["identities"]
        .as_array()
        .unwrap_or_else(|| panic!("{context}: no identities array: {}", reply.text))
        .clone()
}

pub fn values_of(identities: &[Value]) -> Vec<&str> {
    identities
        .iter()
        .map(|i| i["value"].as_str().unwrap_or_default())
        .collect()
}

/// Every identity of a user, as the admin sees them.
pub async fn all_identities(mock: &Mock, user_id: i64) -> Vec<Value> {
    let reply = mock.admin().get(&identities_path(user_id)).await;
    identities_of(&reply, "listing identities")
}

/// The id of the user's identity with this value.
pub async fn identity_id(mock: &Mock, user_id: i64, value: &str) -> i64 {
    all_identities(mock, user_id)
        .await
        .iter()
        .find(|i| i["value"] == value)
        .and_then(|i| i["id"].as_i64())
        .unwrap_or_else(|| panic!("user {user_id} has no identity {value}"))
}

/// Adds an identity as the admin and returns the created identity object.
pub async fn add_identity(mock: &Mock, user_id: i64, identity: Value) -> Value {
    let reply = mock
        .admin()
        .post(&identities_path(user_id), json!({ "identity": identity }))
        .await;
    assert_eq!(reply.status, 201, "adding {identity}: {}", reply.text);
    reply.json["identity"].clone()
}

/// `user.email` as the admin sees it.
pub async fn user_email(mock: &Mock, user_id: i64) -> Value {
    let reply = mock
        .admin()
        .get(&format!("/api/v2/users/{user_id}.json"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["user"]["email"].clone()
}

pub fn assert_not_found(reply: &Reply, context: &str) {
    assert_eq!(reply.status, 404, "{context}: {}", reply.text);
    assert_eq!(
        reply.json,
        json!({"error": "RecordNotFound", "description": "Not found"}),
        "{context}"
    );
}

pub fn assert_forbidden(reply: &Reply, context: &str) {
    assert_eq!(reply.status, 403, "{context}: {}", reply.text);
    assert_eq!(
        reply.json,
        json!({"error": "Forbidden", "description": FORBIDDEN}),
        "{context}"
    );
}

/// `2023-09-18T23:28:11Z`: ISO-8601 UTC, whole seconds.
pub fn assert_timestamp(value: &Value, context: &str) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{context}: not a string: {value}"));
    let shape = "####-##-##T##:##:##Z";
    let ok = text.len() == shape.len()
        && text.chars().zip(shape.chars()).all(|(c, s)| match s {
            '#' => c.is_ascii_digit(),
            _ => c == s,
        });
    assert!(ok, "{context}: {text:?} is not like 2023-09-18T23:28:11Z");
}

/// Checks the forms of the fields a snapshot redacts: ids are int64, the url is the identity's
/// own `.json` URL on this server, timestamps are ISO-8601.
pub fn assert_identity_forms(mock: &Mock, identity: &Value, user_id: i64) {
    let id = identity["id"].as_i64().expect("identity id is an integer");
    assert_eq!(identity["user_id"], user_id, "user_id");
    assert_eq!(
        identity["url"],
        format!("{}/api/v2/users/{user_id}/identities/{id}.json", mock.url),
        "url"
    );
    assert_timestamp(&identity["created_at"], "created_at");
    assert_timestamp(&identity["updated_at"], "updated_at");
}
