//! `/__mock/openapi.json` describes the control API truthfully: it is a valid OpenAPI document
//! whose schemas compile, it names every control route the server registers, and real control
//! responses validate against its schemas.

#[path = "../../mock-server/tests/common/mod.rs"]
mod common;

use common::Mock;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use zendesk_conformance::oas::Oas;

async fn document(mock: &Mock) -> Value {
    let reply = mock.anonymous().get("/__mock/openapi.json").await;
    assert_eq!(
        reply.status, 200,
        "served without credentials: {}",
        reply.text
    );
    assert_eq!(reply.json["openapi"], "3.0.3");
    reply.json
}

#[tokio::test]
async fn the_document_names_every_control_route_the_server_registers() {
    let mock = Mock::start().await;
    let doc = document(&mock).await;
    let documented: BTreeSet<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .cloned()
        .collect();
    // The routes as registered (without `.json`, which is stripped before routing).
    let source = include_str!("../../mock-server/src/control/mod.rs");
    let registered: BTreeSet<String> = source
        .split('"')
        .filter(|piece| piece.starts_with("/__mock"))
        .map(|path| {
            if path == "/__mock/openapi" {
                "/__mock/openapi.json".to_owned()
            } else {
                path.to_owned()
            }
        })
        .collect();
    assert!(
        registered.len() >= 18,
        "the route list was read: {registered:?}"
    );
    assert_eq!(
        documented, registered,
        "documented vs registered control routes"
    );
}

#[tokio::test]
async fn control_responses_match_the_documents_schemas() {
    let mock = Mock::start().await;
    let oas = Oas::from_document(document(&mock).await).expect("the document's schemas load");
    let admin = mock.admin();
    let account = admin
        .post("/__mock/accounts", json!({"subdomain": "documented"}))
        .await;
    let settings = admin.get("/__mock/settings").await;
    let clock = admin
        .post("/__mock/clock/advance", json!({"seconds": 1}))
        .await;
    let residue = admin
        .post(
            "/__mock/residue",
            json!({"needles": ["jane.doe@example.com"]}),
        )
        .await;
    let fault = admin
        .post(
            "/__mock/faults",
            json!({"method": "GET", "path": "/api/v2/users/me", "status": 503}),
        )
        .await;
    let journal = admin.get("/__mock/journal").await;
    let seeded = admin
        .post(
            "/__mock/seed",
            json!({"users": [{"name": "Doc", "email": "doc@example.com"}]}),
        )
        .await;
    let events = admin.get("/__mock/events").await;
    let checks = [
        ("AccountEnvelope", &account.json),
        ("Settings", &settings.json["settings"]),
        ("ClockMoved", &clock.json),
        ("Hit", &residue.json["residue"][0]),
        ("Fault", &fault.json["fault"]),
        ("JournalEntry", &journal.json["journal"][0]),
        ("Event", &events.json["events"][0]),
        ("SeedResult", &seeded.json),
    ];
    for (schema, value) in checks {
        assert!(value.is_object(), "{schema}: nothing to check in {value}");
        if let Err(violations) = oas.validate(schema, value) {
            let listed: Vec<String> = violations.iter().map(ToString::to_string).collect();
            panic!("{schema} does not describe {value}:\n{}", listed.join("\n"));
        }
    }
}
