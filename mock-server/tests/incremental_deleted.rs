//! Deleted records in the incremental exports: soft-deleted tickets listed with
//! `status: "deleted"` (and left out on `exclude_deleted=true`), permanently deleted tickets as
//! tombstones that keep nothing of their content, soft-deleted users inactive, and permanently
//! deleted users only as the "Permanently Deleted User" placeholder — never their data.

mod common;
mod exports;

use common::assert::expect;
use common::world::freeze_clock;
use exports::{T0, delete_ticket_at, export, ids, item, mock_at, set_clock, ticket_at};
use serde_json::{Value, json};
use zendesk_mock::store::clock::iso8601;

const DAY: i64 = 86_400;
const TICKETS: &str = "/api/v2/incremental/tickets/cursor.json";
const TICKETS_TIME: &str = "/api/v2/incremental/tickets.json";
const USERS: &str = "/api/v2/incremental/users/cursor.json";

/// What the seeded subject's records hold, planted to be looked for afterwards.
const NEEDLES: [&str; 7] = [
    "Pat Planted",
    "pat@planted.example",
    "+1 202 555 0199",
    "Pat's secret note",
    "pat-ext-1",
    "Pat's private matter",
    "4111 1111 1111 1111",
];

/// A server at `T0` seeded with Pat (every personal field filled) and Pat's ticket.
async fn pat_world() -> (common::Mock, i64, i64) {
    let mock = mock_at(T0).await;
    let world = json!({
        "users": [{"ref": "pat", "name": "Pat Planted", "email": "pat@planted.example",
            "phone": "+1 202 555 0199", "notes": "Pat's secret note", "external_id": "pat-ext-1",
            "tags": ["pat_tag"], "user_fields": {"pat_field": "Pat's private matter"}}],
        "tickets": [{"subject": "Pat's private matter", "requester": "pat", "tags": ["pat_tag"],
            "status": "closed", "comments": [{"author": "pat", "body": "My card is 4111 1111 1111 1111"}]}]
    });
    let seeded = expect(mock.admin().post("/__mock/seed", world).await, 200, "seed");
    let id = |key: &str| seeded[key][0].as_i64().expect("seeded id");
    let (user, ticket) = (id("users"), id("tickets"));
    (mock, user, ticket)
}

/// The needles found anywhere in `body`.
fn found(body: &Value) -> Vec<&'static str> {
    let text = body.to_string();
    NEEDLES.into_iter().filter(|n| text.contains(n)).collect()
}

#[tokio::test]
async fn soft_deleted_tickets_are_listed_as_deleted_until_exclude_deleted_leaves_them_out() {
    let mock = mock_at(T0).await;
    let kept = ticket_at(&mock, T0, "Kept").await;
    let deleted = ticket_at(&mock, T0 + 10, "Deleted").await;
    delete_ticket_at(&mock, T0 + 100, deleted, false).await;
    set_clock(&mock, T0 + 200).await;

    let page = export(&mock, &format!("{TICKETS}?start_time={T0}")).await;
    assert_eq!(
        ids(&page, "tickets"),
        [kept, deleted],
        "the deletion is its latest change"
    );
    let tombstone = item(&page, "tickets", deleted);
    assert_eq!(tombstone["status"], "deleted");
    assert_eq!(
        tombstone["generated_timestamp"],
        T0 + 100,
        "changed when deleted"
    );
    assert_eq!(
        tombstone["updated_at"],
        iso8601(T0 + 10),
        "updated_at keeps its last event"
    );
    assert_eq!(
        tombstone["subject"], "Deleted",
        "not scrubbed yet: still all there"
    );
    assert_eq!(item(&page, "tickets", kept)["status"], "new");

    for path in [TICKETS, TICKETS_TIME] {
        let path = format!("{path}?start_time={T0}&exclude_deleted=true");
        assert_eq!(
            ids(&export(&mock, &path).await, "tickets"),
            [kept],
            "{path}"
        );
    }
    let restored = format!("/api/v2/deleted_tickets/{deleted}/restore.json");
    expect(mock.admin().put(&restored, json!({})).await, 200, "restore");
    set_clock(&mock, T0 + 300).await;
    let page = export(&mock, &format!("{TICKETS}?start_time={T0}")).await;
    let back = item(&page, "tickets", deleted);
    assert_eq!(back["status"], "new", "restored");
    assert_eq!(
        back["updated_at"],
        iso8601(T0 + 200),
        "the restore is its latest change"
    );
}

#[tokio::test]
async fn permanently_deleted_tickets_are_tombstones_that_keep_nothing_of_their_content() {
    let (mock, _, ticket) = pat_world().await;
    set_clock(&mock, T0 + 60).await;
    let before = export(&mock, &format!("{TICKETS}?start_time={T0}")).await;
    assert!(found(&before).contains(&"Pat's private matter"), "{before}");
    let purged = ticket_at(&mock, T0 + 5, "Left to the purge").await;
    delete_ticket_at(&mock, T0 + 100, ticket, true).await;
    delete_ticket_at(&mock, T0 + 200, purged, false).await;
    set_clock(&mock, T0 + 31 * DAY).await;

    let page = export(&mock, &format!("{TICKETS}?start_time={T0}")).await;
    assert_eq!(
        ids(&page, "tickets"),
        [ticket, purged],
        "in order of deletion"
    );
    for (id, deleted_at) in [(ticket, T0 + 100), (purged, T0 + 200 + 30 * DAY)] {
        let tombstone = item(&page, "tickets", id);
        assert_eq!(tombstone["status"], "deleted", "{id}");
        assert_eq!(tombstone["generated_timestamp"], deleted_at, "{id}");
        assert_eq!(tombstone["updated_at"], iso8601(deleted_at), "{id}");
        for field in [
            "subject",
            "raw_subject",
            "requester_id",
            "submitter_id",
            "via",
        ] {
            assert_eq!(tombstone[field], Value::Null, "{id}: {field}");
        }
        assert_eq!(tombstone["description"], "", "{id}");
        assert_eq!(tombstone["tags"], json!([]), "{id}");
    }
    assert_eq!(item(&page, "tickets", ticket)["created_at"], iso8601(T0));
    assert_eq!(
        found(&page),
        Vec::<&str>::new(),
        "nothing of Pat's ticket: {page}"
    );
    let excluded = format!("{TICKETS}?start_time={T0}&exclude_deleted=true");
    assert_eq!(
        ids(&export(&mock, &excluded).await, "tickets"),
        Vec::<i64>::new()
    );
}

#[tokio::test]
async fn deleted_users_are_exported_inactive_and_permanently_deleted_ones_only_as_the_placeholder()
{
    let (mock, pat, _) = pat_world().await;
    freeze_clock(&mock, T0 + 10);
    let sam = mock.create_user("Sam Soft", "sam@soft.example").await;
    freeze_clock(&mock, T0 + 100);
    let path = format!("/api/v2/users/{sam}.json");
    expect(mock.admin().delete(&path).await, 200, "soft delete Sam");
    freeze_clock(&mock, T0 + 200);
    for path in [format!("users/{pat}"), format!("deleted_users/{pat}")] {
        let path = format!("/api/v2/{path}.json");
        expect(mock.admin().delete(&path).await, 200, &path);
    }
    set_clock(&mock, T0 + 300).await;

    let page = export(&mock, &format!("{USERS}?start_time={T0}")).await;
    assert_eq!(
        ids(&page, "users"),
        [sam, pat],
        "in order of their last change"
    );
    let shown = expect(mock.admin().get(&path).await, 200, "GET /users/{sam}");
    assert_eq!(
        item(&page, "users", sam),
        &shown["user"],
        "as Show User has her"
    );
    assert_eq!(item(&page, "users", sam)["active"], false);
    let placeholder = item(&page, "users", pat);
    assert_eq!(placeholder["name"], "Permanently Deleted User");
    assert_eq!(placeholder["active"], false);
    assert_eq!(placeholder["updated_at"], iso8601(T0 + 200));
    for field in ["email", "phone", "external_id", "notes", "details", "alias"] {
        assert_eq!(placeholder[field], Value::Null, "{field}");
    }
    assert_eq!(
        (&placeholder["tags"], &placeholder["user_fields"]),
        (&json!([]), &json!({}))
    );
    assert_eq!(found(&page), Vec::<&str>::new(), "nothing of Pat's: {page}");

    let after = page["after_url"].as_str().expect("after_url");
    let resume = after
        .strip_prefix(&mock.url)
        .expect("on this server")
        .to_owned();
    set_clock(&mock, T0 + 100 + 31 * DAY).await;
    let purged = export(&mock, &resume).await;
    assert_eq!(
        ids(&purged, "users"),
        [sam],
        "the 30-day purge is a change too"
    );
    assert_eq!(
        item(&purged, "users", sam)["name"],
        "Permanently Deleted User"
    );
    assert!(!purged.to_string().contains("sam@soft.example"), "{purged}");
}
