//! Helpers shared by the `users_*` test files (users over HTTP, against the demo world): the
//! recorded key orders of both user views, Zendesk's error bodies, checks of ids and
//! timestamps, and small request and reply helpers. Each test binary uses only some of them.
#![allow(dead_code)]

use crate::common::{self, Mock, Reply};
use serde_json::{Value, json};

/// The recorded key order of the agent/admin view (facts §3.1, live 2023 recording).
pub const ADMIN_VIEW_KEYS: [&str; 37] = [
    "id",
    "url",
    "name",
    "email",
    "created_at",
    "updated_at",
    "time_zone",
    "iana_time_zone",
    "phone",
    "shared_phone_number",
    "photo",
    "locale_id",
    "locale",
    "organization_id",
    "role",
    "verified",
    "external_id",
    "tags",
    "alias",
    "active",
    "shared",
    "shared_agent",
    "last_login_at",
    "two_factor_auth_enabled",
    "signature",
    "details",
    "notes",
    "role_type",
    "custom_role_id",
    "moderator",
    "ticket_restriction",
    "only_private_comments",
    "restricted_agent",
    "suspended",
    "default_group_id",
    "report_csv",
    "user_fields",
];

/// `UserForEndUser` (facts §3.2).
pub const END_USER_VIEW_KEYS: [&str; 16] = [
    "id",
    "url",
    "name",
    "email",
    "created_at",
    "updated_at",
    "time_zone",
    "iana_time_zone",
    "locale",
    "locale_id",
    "organization_id",
    "phone",
    "shared_phone_number",
    "photo",
    "role",
    "verified",
];

pub const FORBIDDEN: &str = r#"{"error":"Forbidden","description":"You do not have access to this page. Please contact the account owner of this help desk for further help."}"#;

pub fn body(text: &str) -> Value {
    serde_json::from_str(text).expect("expected body is JSON")
}

/// `YYYY-MM-DDTHH:MM:SSZ`: ISO-8601 UTC with seconds and no fraction (facts §1).
pub fn is_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 20
        && bytes.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

pub fn assert_timestamp(value: &Value, what: &str) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{what} is not a string: {value}"));
    assert!(is_timestamp(text), "{what} is not a UTC timestamp: {text}");
}

pub fn assert_id(value: &Value, what: &str) -> i64 {
    let id = value
        .as_i64()
        .unwrap_or_else(|| panic!("{what} is not an integer: {value}"));
    assert!(id > 0, "{what} is not positive: {id}");
    id
}

/// Checks the volatile fields of a user object (either view) before a snapshot redacts them:
/// a positive id, the live-form url, second-precision UTC timestamps. Returns the id.
pub fn assert_user_volatiles(mock: &Mock, user: &Value) -> i64 {
    let id = assert_id(&user["id"], "user.id");
    assert_eq!(
        user["url"],
        format!("{}/api/v2/users/{id}.json", mock.url),
        "user.url"
    );
    assert_timestamp(&user["created_at"], "user.created_at");
    assert_timestamp(&user["updated_at"], "user.updated_at");
    id
}

pub fn keys(object: &Value) -> Vec<&str> {
    object
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {object}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// Percent-encodes a query value.
pub fn q(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub fn ids_of(reply: &Reply, key: &str) -> Vec<i64> {
    reply.json[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} array: {}", reply.text))
        .iter()
        .map(|u| u["id"].as_i64().expect("user id"))
        .collect()
}

/// Creates a user as the admin from a whole `user` object; returns its id.
pub async fn create(mock: &Mock, user: Value) -> i64 {
    let reply = mock
        .admin()
        .post("/api/v2/users.json", json!({ "user": user }))
        .await;
    assert_eq!(reply.status, 201, "creating {user}: {}", reply.text);
    assert_id(&reply.json["user"]["id"], "created user id")
}

pub async fn my_id(mock: &Mock, email: &str) -> i64 {
    let reply = mock
        .as_token(email, common::ADMIN_TOKEN)
        .get("/api/v2/users/me.json")
        .await;
    assert_eq!(reply.status, 200, "me as {email}: {}", reply.text);
    assert_id(&reply.json["user"]["id"], "me.id")
}
