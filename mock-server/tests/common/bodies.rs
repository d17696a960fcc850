//! Zendesk's recorded error bodies (facts §2), as the suites compare whole replies with them.

use serde_json::{Value, json};

/// The description of every 403 Forbidden.
const FORBIDDEN: &str = "You do not have access to this page. Please contact the account owner of this help desk for further help.";

pub fn not_found() -> Value {
    json!({"error": "RecordNotFound", "description": "Not found"})
}

pub fn forbidden() -> Value {
    json!({"error": "Forbidden", "description": FORBIDDEN})
}

/// The recorded generic 400 for more than 100 items: the blank parameter name (and so the
/// double space) is Zendesk's.
pub fn too_many_values() -> Value {
    json!({
        "error": "TooManyValues",
        "description": "Parameter  cannot specify more than 100 values",
        "max_count": 100
    })
}

/// A 422 whose details name `field` with one `description`.
pub fn record_invalid(field: &str, description: &str) -> Value {
    json!({
        "error": "RecordInvalid",
        "description": "Record validation errors",
        "details": {field: [{"description": description}]}
    })
}

/// The recorded 422 for any update of a closed ticket.
pub fn closed_prevents_update() -> Value {
    record_invalid("status", "Status: closed prevents ticket update")
}
