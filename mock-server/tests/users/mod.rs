//! Helpers shared by the `users_*` test files (users over HTTP, against the demo world): the
//! recorded key orders of both user views, the check of a user's volatile fields, and small
//! request helpers. Each test binary uses only some of them.
#![allow(dead_code)]

use crate::common::Mock;
use crate::common::assert::{assert_id, assert_record_forms};
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

/// Checks the volatile fields of a user object (either view) before a snapshot redacts them:
/// a positive id, the live-form url, second-precision UTC timestamps. Returns the id.
pub fn assert_user_volatiles(mock: &Mock, user: &Value) -> i64 {
    assert_record_forms(mock, user, "users")
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

/// Creates a user as the admin from a whole `user` object; returns its id.
pub async fn create(mock: &Mock, user: Value) -> i64 {
    let reply = mock
        .admin()
        .post("/api/v2/users.json", json!({ "user": user }))
        .await;
    assert_eq!(reply.status, 201, "creating {user}: {}", reply.text);
    assert_id(&reply.json["user"]["id"], "created user id")
}
