//! Writes that are not ticket or user updates still change the record for the incremental
//! exports: a redaction or a restore brings a ticket back, a new identity brings its user back,
//! so a portability or erasure audit that resumes from a saved cursor sees them.

mod common;
mod exports;

use common::assert::expect;
use exports::{T0, delete_ticket_at, export, ids, mock_at, set_clock, ticket_at};
use serde_json::json;

const TICKETS: &str = "/api/v2/incremental/tickets/cursor.json";
const USERS: &str = "/api/v2/incremental/users/cursor.json";

#[tokio::test]
async fn redactions_restores_and_new_identities_come_again_from_a_saved_cursor() {
    let mock = mock_at(T0).await;
    let redacted = ticket_at(&mock, T0 + 10, "Redact me").await;
    let restored = ticket_at(&mock, T0 + 20, "Restore me").await;
    let untouched = ticket_at(&mock, T0 + 30, "Leave me").await;
    delete_ticket_at(&mock, T0 + 40, restored, false).await;
    let person = mock.create_user("Ida Identity", "ida@example.org").await;
    set_clock(&mock, T0 + 600).await;
    let first = export(&mock, &format!("{TICKETS}?start_time={T0}")).await;
    assert!(ids(&first, "tickets").contains(&untouched));
    let users = export(&mock, &format!("{USERS}?start_time={T0}")).await;

    let comments = common::world::comments(&mock, redacted).await;
    let comment = comments[0]["id"].as_i64().expect("comment id");
    let body = comments[0]["body"].as_str().expect("body").to_owned();
    let word = body.split_whitespace().next().expect("a word").to_owned();
    let path = format!("/api/v2/tickets/{redacted}/comments/{comment}/redact.json");
    expect(
        mock.admin().put(&path, json!({"text": word})).await,
        200,
        "redact",
    );
    let path = format!("/api/v2/deleted_tickets/{restored}/restore.json");
    expect(mock.admin().put(&path, json!({})).await, 200, "restore");
    let path = format!("/api/v2/users/{person}/identities.json");
    let identity = json!({"identity": {"type": "email", "value": "ida@second.example"}});
    expect(
        mock.admin().post(&path, identity).await,
        201,
        "add identity",
    );
    set_clock(&mock, T0 + 1_200).await;

    let after = common::json::path_of(&mock, &first["after_url"]).to_owned();
    let again = export(&mock, &after).await;
    let mut changed = ids(&again, "tickets");
    changed.sort_unstable();
    assert_eq!(changed, [redacted, restored], "{again}");
    let after = common::json::path_of(&mock, &users["after_url"]).to_owned();
    assert_eq!(ids(&export(&mock, &after).await, "users"), [person]);
}
