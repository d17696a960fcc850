//! The residue scan `POST /__mock/residue` over real HTTP (design.md, control API): every place
//! a subject's email, name or phone still appears — including places the public API cannot
//! reach — and nothing once the guide's erasure has run (facts §11: redact, permanently delete
//! tickets, delete the user).

mod common;
mod ticket_privacy;

use common::Mock;
use common::assert::assert_forbidden;
use common::world::residue;
use reqwest::Method;
use serde_json::{Value, json};
use ticket_privacy::{as_user, call, finished, residue_places, soft_delete};

const EMAIL: &str = "zoe.quill@example.com";
const NAME: &str = "Zoe Quill";
const PHONE: &str = "+1 202 555 0177";

/// A subject, Zoe, whose data is planted everywhere it can live; Bob merely mentions her.
fn world() -> Value {
    json!({
        "users": [
            {"ref": "zoe", "name": NAME, "email": EMAIL, "phone": "+12025550177",
             "verified": true, "suspended": true,
             "identities": [{"type": "email", "value": "zq@personal.example.org"}]},
            {"ref": "ada", "name": "Ada Agent", "email": "ada@example.com", "role": "agent",
             "verified": true},
            {"ref": "bob", "name": "Bob Other", "email": "bob@example.com", "verified": true}
        ],
        "tickets": [
            {"ref": "open", "subject": "Refund for Zoe Quill", "requester": "zoe", "comments": [
                {"body": "Write to zoe.quill@example.com",
                 "attachments": [{"file_name": "id.txt", "content": "ID card: ZOE QUILL"}]},
                {"author": "ada", "html_body": "<p>We will call <b>+1 (202) 555-0177</b></p>"}
            ]},
            {"ref": "deleted", "subject": "Zoe Quill old order", "requester": "zoe",
             "deleted": "soft", "comments": [{"body": "Old order."}]},
            {"ref": "bob", "subject": "Question", "requester": "bob",
             "comments": [{"body": "My friend Zoe Quill recommended you."}]}
        ],
        "suspended_tickets": [{"name": NAME, "email": EMAIL, "subject": "Stop emailing me",
                               "body": "Do not call +1 202 555 0177 again."}]
    })
}

/// A server holding only [`world`]; its seed report (`refs`, `suspended_tickets`).
async fn seeded() -> (Mock, Value) {
    let mock = Mock::empty().await;
    let reply = mock.admin().post("/__mock/seed", world()).await;
    assert_eq!(reply.status, 200, "seed: {}", reply.text);
    (mock, reply.json)
}

fn id(report: &Value, reference: &str) -> i64 {
    report["refs"][reference].as_i64().expect("seeded id")
}

/// The ids of a list reply's items under `key`, as the residue names them (strings).
async fn list_ids(mock: &Mock, path: &str, key: &str) -> Vec<String> {
    let reply = call(&mock.admin(), &Method::GET, path).await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.text);
    let items = reply.json[key].as_array().expect("list").clone();
    items.iter().map(|item| item["id"].to_string()).collect()
}

/// The `value` of each item, in the order of [`list_ids`].
async fn list_values(mock: &Mock, path: &str, key: &str) -> Vec<String> {
    let reply = call(&mock.admin(), &Method::GET, path).await;
    let items = reply.json[key].as_array().expect("list").clone();
    items
        .iter()
        .map(|item| item["value"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn residue_finds_the_subject_in_every_place_her_data_lives() {
    let (mock, report) = seeded().await;
    let (zoe, open, deleted) = (
        id(&report, "zoe"),
        id(&report, "open"),
        id(&report, "deleted"),
    );
    let rename = json!({"ticket": {"subject": "Refund request"}});
    let renamed = mock
        .admin()
        .put(&format!("/api/v2/tickets/{open}.json"), rename)
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);

    let identities = list_ids(&mock, &format!("users/{zoe}/identities"), "identities").await;
    let values = list_values(&mock, &format!("users/{zoe}/identities"), "identities").await;
    let identity = |value| identities[values.iter().position(|v| v == value).expect(value)].clone();
    let comments = list_ids(&mock, &format!("tickets/{open}/comments"), "comments").await;
    let audits = list_ids(&mock, &format!("tickets/{open}/audits"), "audits").await;
    let path = format!("tickets/{open}/comments");
    let with_file = call(&mock.admin(), &Method::GET, &path).await;
    let file = with_file.json["comments"][0]["attachments"][0]["id"].to_string();
    let held = report["suspended_tickets"][0].to_string();
    let (zoe, deleted) = (zoe.to_string(), deleted.to_string());
    let (first_audit, rename_audit) = (&audits[0], audits.last().expect("rename audit"));
    // (needle, kind, id, field): an audit hit's id is `audit_id/event_id`.
    let places = [
        (NAME, "user", &zoe, "name"),
        (PHONE, "user", &zoe, "phone"),
        (EMAIL, "identity", &identity(EMAIL), "value"),
        (PHONE, "identity", &identity("+12025550177"), "value"),
        (EMAIL, "comment", &comments[0], "body"),
        (PHONE, "comment", &comments[1], "html_body"),
        (PHONE, "comment", &comments[1], "plain_body"),
        (NAME, "audit", first_audit, "subject"),
        (NAME, "audit", rename_audit, "subject (previous)"),
        (NAME, "attachment", &file, "content"),
        (EMAIL, "suspended_ticket", &held, "author.email"),
        (PHONE, "suspended_ticket", &held, "content"),
        (NAME, "ticket", &deleted, "subject"),
    ];
    let hits = residue(&mock, &[EMAIL, NAME, PHONE]).await;
    for (needle, kind, id, field) in places {
        let found = hits.iter().any(|hit| {
            let hit_id = hit["id"].as_str().unwrap_or_default();
            let hit_id = hit_id.split('/').next().unwrap_or_default();
            hit["needle"] == needle && hit["kind"] == kind && hit_id == id && hit["field"] == field
        });
        assert!(found, "no {needle:?} in {kind} {id} {field}: {hits:#?}");
    }
    let unreachable = call(&mock.admin(), &Method::GET, &format!("tickets/{deleted}")).await;
    assert_eq!(
        unreachable.status, 404,
        "the API cannot reach the soft-deleted ticket"
    );
    insta::assert_json_snapshot!("residue_of_the_subject", hits, { "[].id" => "[id]" });
}

#[tokio::test]
async fn phone_needles_match_the_same_number_written_another_way() {
    let (mock, report) = seeded().await;
    let zoe = id(&report, "zoe").to_string();
    // Zoe's phone is stored as +12025550177.
    let cases = [
        ("spaced", "+1 202 555 0177", true),
        ("as stored", "+12025550177", true),
        ("dashed", "1-202-555-0177", true),
        ("national with parentheses", "(202) 555-0177", true),
        ("dotted", "+1.202.555.0177", true),
        ("another number", "+1 202 555 0178", false),
    ];
    for (case, needle, expected) in cases {
        let hits = residue(&mock, &[needle]).await;
        let found = hits
            .iter()
            .any(|h| h["kind"] == "user" && h["id"] == zoe && h["field"] == "phone");
        assert_eq!(found, expected, "{case} {needle:?}: {hits:#?}");
    }
}

#[tokio::test]
async fn needles_match_case_insensitively() {
    let (mock, _) = seeded().await;
    let places = |hits: Vec<Value>| -> Vec<(Value, Value, Value)> {
        hits.into_iter()
            .map(|h| (h["kind"].clone(), h["id"].clone(), h["field"].clone()))
            .collect()
    };
    for (original, variants) in [
        (EMAIL, ["ZOE.QUILL@EXAMPLE.COM", "Zoe.Quill@Example.com"]),
        (NAME, ["zoe quill", "ZOE QUILL"]),
    ] {
        let expected = places(residue(&mock, &[original]).await);
        assert!(
            expected.len() > 2,
            "{original} is planted in several places"
        );
        for variant in variants {
            let found = places(residue(&mock, &[variant]).await);
            assert_eq!(found, expected, "{variant:?} finds what {original:?} finds");
        }
    }
}

#[tokio::test]
async fn after_redaction_ticket_deletion_and_user_deletion_nothing_remains() {
    let (mock, report) = seeded().await;
    let admin = mock.admin();
    let needles = [EMAIL, NAME, PHONE];
    let (zoe, open, deleted, bob) = (
        id(&report, "zoe"),
        id(&report, "open"),
        id(&report, "deleted"),
        id(&report, "bob"),
    );
    // 1. Redact the mention in the ticket that stays (Bob's).
    let comment = list_ids(&mock, &format!("tickets/{bob}/comments"), "comments").await;
    let path = format!("/api/v2/tickets/{bob}/comments/{}/redact.json", comment[0]);
    let redacted = admin.put(&path, json!({"text": NAME})).await;
    assert_eq!(redacted.status, 200, "redact: {}", redacted.text);
    // 2. Permanently delete her tickets.
    soft_delete(&mock, open).await;
    let path = format!("deleted_tickets/destroy_many?ids={open},{deleted}");
    let job = call(&admin, &Method::DELETE, &path).await;
    let done = finished(&mock, &job.json["job_status"]).await;
    let statuses: Vec<&Value> = done["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| &r["status"])
        .collect();
    assert_eq!(statuses, [&json!("Deleted"), &json!("Deleted")], "{done}");
    // 3. Delete what she sent while suspended.
    let held = &report["suspended_tickets"][0];
    let gone = call(
        &admin,
        &Method::DELETE,
        &format!("suspended_tickets/{held}"),
    )
    .await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    let left = ["identity value", "user name", "user phone"];
    assert_eq!(
        residue_places(&mock, &needles).await,
        left,
        "only her profile is left"
    );
    // 4. Delete her, then permanently.
    for path in [format!("users/{zoe}"), format!("deleted_users/{zoe}")] {
        let reply = call(&admin, &Method::DELETE, &path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
    }
    let reply = admin
        .post("/__mock/residue", json!({ "needles": needles }))
        .await;
    assert_eq!(reply.json, json!({"residue": []}), "{}", reply.text);
}

#[tokio::test]
async fn needles_found_nowhere_give_an_empty_list() {
    let (mock, _) = seeded().await;
    let cases = [
        (
            "a needle absent everywhere",
            json!(["nobody@nowhere.example"]),
        ),
        ("no needles", json!([])),
        (
            "a blank needle, which must not match everything",
            json!(["  "]),
        ),
    ];
    for (case, needles) in cases {
        let reply = mock
            .admin()
            .post("/__mock/residue", json!({ "needles": needles }))
            .await;
        assert_eq!(reply.status, 200, "{case}: {}", reply.text);
        assert_eq!(reply.json, json!({"residue": []}), "{case}");
    }
}

#[tokio::test]
async fn residue_refuses_bad_bodies_and_callers_who_are_not_admins() {
    let mock = Mock::start().await;
    let bodies = [
        ("needles missing", json!({})),
        ("needles not a list", json!({"needles": EMAIL})),
        (
            "an unknown key",
            json!({"needles": [EMAIL], "kinds": ["user"]}),
        ),
    ];
    for (case, body) in bodies {
        let reply = mock.admin().post("/__mock/residue", body).await;
        assert_eq!(reply.status, 400, "{case}: {}", reply.text);
        assert_eq!(reply.json["error"], "InvalidJSON", "{case}");
    }
    let body = json!({ "needles": [EMAIL] });
    for (who, client) in [
        ("an agent", as_user(&mock, "agent@example.com")),
        ("an end user", as_user(&mock, "maria.rossi@example.it")),
    ] {
        assert_forbidden(&client.post("/__mock/residue", body.clone()).await, who);
    }
    let anonymous = mock.anonymous().post("/__mock/residue", body).await;
    assert_eq!(anonymous.status, 401, "anonymous: {}", anonymous.text);
}
