//! The subject's own access request (GDPR art. 15, portability art. 20) made by the end user
//! herself, signed in: her profile (`/users/me`), her identities (`/users/{own id}/identities`
//! and the end-user path `/end_users/{id}/identities`), her tickets as requests (`/requests`)
//! and their public comments — and nothing of anyone else, nor the agents' internal notes.
//! The staff endpoints (Show User of others, List Tickets, the incremental exports) stay shut.

mod common;

use common::assert::{assert_forbidden, assert_not_found, expect};
use common::world::residue;
use common::{ADMIN_TOKEN, Mock};
use serde_json::{Value, json};

const ZOE_EMAIL: &str = "zoe.quill@example.com";

/// What is Zoe's, and should be in her export.
const HERS: [&str; 6] = [
    "Zoe Quill",
    ZOE_EMAIL,
    "zq@personal.example.org",
    "+12025550177",
    "Refund for Zoe",
    "Please refund order 77",
];

/// What is not hers — another user's data, an agent's internal note — and must not be.
const NOT_HERS: [&str; 6] = [
    "Bob Other",
    "bob@example.com",
    "+12025550100",
    "Broken kettle",
    "Bob lives at 1 Main St",
    "Internal: check Zoe's refund history",
];

fn world() -> Value {
    json!({
        "users": [
            {"ref": "zoe", "name": "Zoe Quill", "email": ZOE_EMAIL, "verified": true,
             "phone": "+12025550177",
             "identities": [{"type": "email", "value": "zq@personal.example.org"}]},
            {"ref": "bob", "name": "Bob Other", "email": "bob@example.com", "verified": true,
             "phone": "+12025550100"},
            {"ref": "ada", "name": "Ada Agent", "email": "ada@example.com", "role": "agent",
             "verified": true}
        ],
        "tickets": [
            {"ref": "zoes", "subject": "Refund for Zoe", "requester": "zoe", "comments": [
                {"author": "zoe", "body": "Please refund order 77"},
                {"author": "ada", "body": "Internal: check Zoe's refund history", "public": false}
            ]},
            {"ref": "bobs", "subject": "Broken kettle", "requester": "bob",
             "comments": [{"author": "bob", "body": "Bob lives at 1 Main St"}]}
        ]
    })
}

/// `GET path` as Zoe; 200 expected.
async fn read(mock: &Mock, path: &str) -> Value {
    let reply = mock.as_token(ZOE_EMAIL, ADMIN_TOKEN).get(path).await;
    expect(reply, 200, &format!("as Zoe: GET {path}"))
}

#[tokio::test]
async fn subject_access_export_reads_only_own_data() {
    let mock = Mock::empty().await;
    let seeded = expect(
        mock.admin().post("/__mock/seed", world()).await,
        200,
        "seed",
    );
    let id = |reference: &str| seeded["refs"][reference].as_i64().expect("seeded id");
    let (zoe, bob, bobs_ticket) = (id("zoe"), id("bob"), id("bobs"));

    // The export, assembled the way a help-center page or a DSR tool acting as her would.
    let me = read(&mock, "/api/v2/users/me.json").await;
    assert_eq!(me["user"]["id"], zoe);
    let identities = read(&mock, &format!("/api/v2/users/{zoe}/identities.json")).await;
    let end_user_path = read(&mock, &format!("/api/v2/end_users/{zoe}/identities.json")).await;
    assert_eq!(identities["identities"], end_user_path["identities"]);
    let requests = read(&mock, "/api/v2/requests.json").await;
    let mut comments = Vec::new();
    for request in requests["requests"].as_array().expect("requests") {
        let id = request["id"].as_i64().expect("request id");
        let path = format!("/api/v2/requests/{id}/comments.json");
        comments.push(read(&mock, &path).await);
    }
    let export = json!({"user": me["user"], "identities": identities["identities"],
        "requests": requests["requests"], "comments": comments});
    let text = export.to_string();

    let missing: Vec<&str> = HERS.into_iter().filter(|n| !text.contains(n)).collect();
    assert_eq!(
        missing,
        Vec::<&str>::new(),
        "her export lacks these: {export:#}"
    );
    let planted = residue(&mock, &NOT_HERS).await;
    for needle in NOT_HERS {
        assert!(
            planted.iter().any(|h| h["needle"] == needle),
            "{needle} is in the account"
        );
    }
    let leaked: Vec<&str> = NOT_HERS.into_iter().filter(|n| text.contains(n)).collect();
    assert_eq!(
        leaked,
        Vec::<&str>::new(),
        "her export holds others' data: {export:#}"
    );

    // And the doors to everyone else's data stay shut to her.
    let zoe_client = mock.as_token(ZOE_EMAIL, ADMIN_TOKEN);
    for path in [
        format!("/api/v2/users/{bob}.json"),
        format!("/api/v2/users/{bob}/identities.json"),
        format!("/api/v2/end_users/{bob}/identities.json"),
        format!("/api/v2/users/{zoe}/tickets/requested.json"),
        format!("/api/v2/tickets/{bobs_ticket}.json"),
        "/api/v2/users.json".to_owned(),
        "/api/v2/incremental/tickets.json?start_time=0".to_owned(),
    ] {
        assert_forbidden(&zoe_client.get(&path).await, &format!("as Zoe: GET {path}"));
    }
    for path in [
        format!("/api/v2/requests/{bobs_ticket}.json"),
        format!("/api/v2/requests/{bobs_ticket}/comments.json"),
    ] {
        assert_not_found(&zoe_client.get(&path).await, &format!("as Zoe: GET {path}"));
    }
}
