//! Helpers shared by the `faults*` test files: adding and listing an account's faults.

use crate::common::Client;
use serde_json::Value;

/// Adds a fault as the client; it must be created (201).
pub async fn add_fault(client: &Client<'_>, spec: Value) -> Value {
    let reply = client.post("/__mock/faults", spec.clone()).await;
    assert_eq!(reply.status, 201, "adding {spec}: {}", reply.text);
    reply.json["fault"].clone()
}

/// The account's faults, oldest first.
pub async fn list_faults(client: &Client<'_>) -> Vec<Value> {
    let reply = client.get("/__mock/faults").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["faults"]
        .as_array()
        .expect("faults array")
        .clone()
}

/// The status `GET /api/v2/users/me.json` answers with.
pub async fn me_status(client: &Client<'_>) -> u16 {
    client.get("/api/v2/users/me.json").await.status
}
