//! The shape oracle against Zendesk's real published OpenAPI document
//! (`shared/zendesk-oas/support-api.yaml`, or the file named by `ZENDESK_OAS`).

use serde_json::{Value, json};
use zendesk_conformance::oas::{Allowances, Oas, SchemaViolation, ViolationKind};

/// Schemas whose published `example` the mock's tests lean on most.
const KEY_SCHEMAS_WITH_EXAMPLES: [&str; 7] = [
    "JobStatusObject",
    "UserIdentityObject",
    "UserForAdmin",
    "AttachmentObject",
    "TicketObject",
    "TicketCommentObject",
    "ViaObject",
];

fn oas() -> &'static Oas {
    Oas::shared()
}

/// The violations, which the test expects to exist.
fn violations(schema: &str, value: &Value, allowances: &Allowances) -> Vec<SchemaViolation> {
    match oas().validate_with(schema, value, allowances) {
        Ok(()) => panic!("{schema} unexpectedly accepted {value:#}"),
        Err(violations) => violations,
    }
}

fn paths(violations: &[SchemaViolation]) -> Vec<&str> {
    violations
        .iter()
        .map(|v| v.instance_path.as_str())
        .collect()
}

fn identity() -> Value {
    json!({
        "id": 35436,
        "url": "https://example.zendesk.com/api/v2/users/135/identities/35436.json",
        "user_id": 135,
        "type": "email",
        "value": "someone@example.com",
        "verified": true,
        "primary": true,
        "verification_method": "full",
        "verified_at": "2011-07-20T22:55:29Z",
        "deliverable_state": "deliverable",
        "undeliverable_count": 0,
        "created_at": "2011-07-20T22:55:29Z",
        "updated_at": "2011-07-20T22:55:29Z"
    })
}

/// A permanently deleted user as the facts sheet (§3) describes it: personal fields null.
fn permanently_deleted_user() -> Value {
    json!({
        "id": 189_304_711_533_u64,
        "url": "https://example.zendesk.com/api/v2/deleted_users/189304711533.json",
        "name": "Permanently Deleted User",
        "email": null,
        "created_at": "2019-08-26T02:10:24Z",
        "updated_at": "2019-08-26T02:10:27Z",
        "time_zone": "Eastern Time (US & Canada)",
        "phone": null,
        "shared_phone_number": null,
        "photo": null,
        "locale_id": 1,
        "locale": "en-US",
        "organization_id": 360_000_000_008_u64,
        "role": "end-user",
        "active": false
    })
}

#[test]
fn published_document_loads_with_serde_norway() {
    assert_eq!(oas().schema_names().count(), 462);
    // The bare `=` near line 25,486 that YAML 1.1 loaders reject is read as a string.
    let change = oas()
        .document()
        .pointer("/components/schemas/TriggerConditionDiffObject/example/field/0/change");
    assert_eq!(change, Some(&json!("=")));
}

#[test]
fn every_schema_converts_and_compiles() {
    let broken: Vec<String> = oas()
        .schema_names()
        .filter_map(|name| oas().validate(name, &json!({})).err().map(|v| (name, v)))
        .flat_map(|(name, violations)| {
            violations
                .into_iter()
                .filter(|v| v.kind != ViolationKind::Mismatch)
                .map(move |v| format!("{name}: {v}"))
        })
        .collect();
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn every_published_example_is_valid() {
    for name in KEY_SCHEMAS_WITH_EXAMPLES {
        let schema = oas().oas_schema(name).expect("schema exists");
        assert!(schema.get("example").is_some(), "{name} lost its example");
    }
    let mut checked = 0;
    for name in oas().schema_names() {
        let schema = oas().oas_schema(name).expect("listed schemas exist");
        if let Some(example) = schema.get("example") {
            oas().assert_valid(name, example, &Allowances::new());
            checked += 1;
        }
    }
    assert!(checked >= 90, "only {checked} schemas have examples");
}

#[test]
fn hand_written_identity_is_valid() {
    oas().assert_valid("UserIdentityObject", &identity(), &Allowances::new());
}

#[test]
fn wrong_type_fails_at_its_pointer() {
    let mut value = identity();
    value["id"] = json!("x");
    let violations = violations("UserIdentityObject", &value, &Allowances::new());
    assert_eq!(paths(&violations), ["/id"]);
    assert_eq!(violations[0].kind, ViolationKind::Mismatch);
    assert!(
        violations[0].message.contains("integer"),
        "{}",
        violations[0]
    );
}

#[test]
fn enum_and_required_are_enforced() {
    let mut value = identity();
    value["type"] = json!("carrier_pigeon");
    value.as_object_mut().expect("object").remove("user_id");
    let violations = violations("UserIdentityObject", &value, &Allowances::new());
    let mut found = paths(&violations);
    found.sort_unstable();
    assert_eq!(found, ["", "/type"], "{violations:#?}");
    let missing = violations.iter().find(|v| v.instance_path.is_empty());
    assert!(missing.is_some_and(|v| v.message.contains("user_id")));
}

#[test]
fn nullable_properties_accept_null() {
    let mut value = identity();
    value["verified_at"] = Value::Null;
    oas().assert_valid("UserIdentityObject", &value, &Allowances::new());
}

#[test]
fn null_on_a_non_nullable_property_fails() {
    let mut value = identity();
    value["value"] = Value::Null;
    let violations = violations("UserIdentityObject", &value, &Allowances::new());
    assert_eq!(paths(&violations), ["/value"]);
}

#[test]
fn null_email_of_a_deleted_user_needs_an_allowance() {
    let value = permanently_deleted_user();
    let violations = violations("DeletedUserObject", &value, &Allowances::new());
    assert_eq!(paths(&violations), ["/email"]);

    let allow = Allowances::new().nullable(
        "DeletedUserObject",
        "email",
        "the OAS types it as a plain string, but permanently deleted users come back with \
         email null (zendesk-api-facts.md §3)",
    );
    oas().assert_valid("DeletedUserObject", &value, &allow);
}

#[test]
fn an_allowance_relaxes_only_what_it_names() {
    let mut value = permanently_deleted_user();
    value["name"] = Value::Null;
    let allow = Allowances::new().nullable("DeletedUserObject", "email", "test");
    let violations = violations("DeletedUserObject", &value, &allow);
    assert_eq!(paths(&violations), ["/name"]);
}

#[test]
fn an_allowance_for_a_missing_property_is_reported() {
    let allow = Allowances::new().nullable("DeletedUserObject", "emial", "typo");
    let violations = violations("DeletedUserObject", &permanently_deleted_user(), &allow);
    assert_eq!(violations[0].kind, ViolationKind::InvalidAllowance);
    assert!(violations[0].message.contains("emial"), "{}", violations[0]);
}

#[test]
fn unknown_schema_is_a_violation() {
    let violations = violations("NoSuchObject", &json!({}), &Allowances::new());
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].kind, ViolationKind::UnknownSchema);
    assert!(violations[0].message.contains("NoSuchObject"));
}

#[test]
fn job_status_results_may_be_null_a_list_or_an_object() {
    // Shapes recorded live (zendesk-api-facts.md, job statuses).
    let queued = json!({
        "id": "V3-abc", "url": "https://example.zendesk.com/api/v2/job_statuses/V3-abc.json",
        "total": null, "progress": null, "status": "queued", "message": null, "results": null
    });
    let mut completed = queued.clone();
    completed["status"] = json!("completed");
    completed["message"] = json!("Completed at 2023-09-18 23:34:53 +0000");
    completed["results"] = json!({"success": true});
    let mut bulk = completed.clone();
    bulk["results"] =
        json!([{"action": "delete", "id": 244, "status": "Deleted", "success": true}]);
    for value in [queued, completed, bulk] {
        oas().assert_valid("JobStatusObject", &value, &Allowances::new());
    }
}

#[test]
fn errors_inside_referenced_schemas_point_into_the_value() {
    let attachment = json!({
        "id": 928_374,
        "file_name": "a.png",
        "thumbnails": [{"id": "not a number", "file_name": "a_thumb.png"}]
    });
    let violations = violations("AttachmentObject", &attachment, &Allowances::new());
    assert_eq!(paths(&violations), ["/thumbnails/0/id"]);
}

#[test]
#[should_panic(expected = "at /id: \"x\" is not of type \"integer\"")]
fn assert_valid_lists_violations() {
    let mut value = identity();
    value["id"] = json!("x");
    oas().assert_valid("UserIdentityObject", &value, &Allowances::new());
}

#[test]
fn generated_schema_embeds_what_it_references() {
    let schema = oas()
        .json_schema("AttachmentObject", &Allowances::new())
        .expect("exists");
    assert_eq!(schema["$ref"], json!("#/$defs/AttachmentObject"));
    assert!(schema["$defs"]["AttachmentBaseObject"].is_object());
    assert!(schema["$defs"].get("TicketObject").is_none());
}
