//! Helpers shared by the `identities_*` test files (user identities over real HTTP): identity
//! paths, listing and adding identities, and the forms of the fields snapshots redact. Each
//! test binary uses only some of them.
#![allow(dead_code)]

use crate::common::assert::assert_record_forms;
use crate::common::{Mock, Reply};
use serde_json::{Value, json};

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

/// Checks the forms of the fields a snapshot redacts: the identity's `user_id`, a positive id,
/// the identity's own `.json` URL on this server, ISO-8601 timestamps.
pub fn assert_identity_forms(mock: &Mock, identity: &Value, user_id: i64) {
    assert_eq!(identity["user_id"], user_id, "user_id");
    assert_record_forms(mock, identity, &format!("users/{user_id}/identities"));
}
