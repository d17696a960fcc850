//! `UserIdentityObject`, keys in the recorded order (a live `POST .../identities`, 2023).

use super::api_url;
use crate::store::clock::iso8601;
use crate::store::identities::{Identity, IdentityType};
use serde_json::{Value, json};

pub fn identity(identity: &Identity, origin: &str) -> Value {
    let mut body = json!({
        "url": api_url(origin, &format!("users/{}/identities/{}", identity.user_id, identity.id)),
        "id": identity.id,
        "user_id": identity.user_id,
        "type": identity.kind.as_str(),
        "value": identity.value,
        "verified": identity.verified,
        "primary": identity.primary,
        "created_at": iso8601(identity.created_at),
        "updated_at": iso8601(identity.updated_at),
        "undeliverable_count": 0,
    });
    // Deliverability is tracked for email only (OAS).
    if identity.kind == IdentityType::Email {
        body["deliverable_state"] = json!("deliverable");
    }
    body
}
