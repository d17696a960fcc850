//! Reading tickets over real HTTP (facts §4.2, §5.2, §9): show, lists in both pagination
//! styles and their sorts, show_many, count, a user's tickets, side-loaded users, comments,
//! make_private, audits, and who may read at all.

mod common;
mod tickets;

use common::assert::{assert_forbidden, assert_not_found, assert_timestamp};
use common::bodies::{closed_prevents_update, not_found, too_many_values};
use common::json::{comma_list, ids_of, keys};
use common::world::{
    ANA_CLOSED, KENJI_DELETED, MARIA_OPEN, OMAR_SOLVED, PRIYA_PENDING, comments, deleted_ticket_id,
    freeze_clock, my_id, show_ticket, ticket_id,
};
use common::{ADMIN_EMAIL, Mock};
use serde_json::{Value, json};
use tickets::{
    FROZEN_AT, assert_ticket_forms, create, create_id, cursor_pages, get, new_ticket, rows, show,
    ticket_count, ticket_keys, update,
};

/// Three tickets whose creation order differs from their id order: #1 March, #2 January,
/// #3 February 2023.
fn three_tickets() -> Value {
    let tickets: Vec<Value> = [("March", "03"), ("January", "01"), ("February", "02")]
        .iter()
        .map(|(subject, month)| {
            let created_at = format!("2023-{month}-01T00:00:00Z");
            json!({"subject": subject, "requester": "rae", "created_at": created_at,
                "comments": [{"body": subject}]})
        })
        .collect();
    json!({"users": [{"ref": "rae", "name": "Rae Reader", "email": "rae@example.com"}],
        "tickets": tickets})
}

#[tokio::test]
async fn show_returns_the_ticket_in_the_live_key_order() {
    let mock = Mock::start().await;
    let id = ticket_id(&mock, PRIYA_PENDING).await;
    let reply = show(&mock, id).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(keys(&reply.json), ["ticket"]);
    let shown = &reply.json["ticket"];
    assert_eq!(assert_ticket_forms(&mock, shown), id);
    assert_eq!(keys(shown), ticket_keys());
    let priya = mock.user_id("priya.patel@example.com").await;
    let agent = mock.user_id("agent@example.com").await;
    assert_eq!(shown["requester_id"], priya);
    assert_eq!(shown["submitter_id"], my_id(&mock, ADMIN_EMAIL).await);
    assert_eq!(shown["assignee_id"], agent);
    assert!(shown["generated_timestamp"].is_i64(), "{shown}");
    insta::assert_json_snapshot!("ticket_show", reply.json, {
        ".ticket.url" => "[ticket url]",
        ".ticket.created_at" => "[timestamp]",
        ".ticket.updated_at" => "[timestamp]",
        ".ticket.generated_timestamp" => "[epoch seconds]",
        ".ticket.requester_id" => "[priya id]",
        ".ticket.submitter_id" => "[admin id]",
        ".ticket.assignee_id" => "[agent id]",
    });
}

#[tokio::test]
async fn a_seeded_ticket_without_a_status_is_open() {
    let mock = Mock::start().await;
    let maria = show_ticket(&mock, ticket_id(&mock, MARIA_OPEN).await).await;
    assert_eq!(maria["status"], "open", "demo world");
    let seeded = Mock::seeded(three_tickets()).await;
    assert_eq!(
        show_ticket(&seeded, 1).await["status"],
        "open",
        "seed default"
    );
}

#[tokio::test]
async fn an_unknown_or_soft_deleted_ticket_and_its_comments_and_audits_are_404() {
    let mock = Mock::start().await;
    let kenji = deleted_ticket_id(&mock, KENJI_DELETED).await;
    // Its comment id, read while restored for a moment.
    let restore = format!("/api/v2/deleted_tickets/{kenji}/restore.json");
    assert_eq!(mock.admin().put(&restore, json!({})).await.status, 200);
    let comment = comments(&mock, kenji).await[0]["id"].clone();
    let again = mock
        .admin()
        .delete(&format!("/api/v2/tickets/{kenji}"))
        .await;
    assert_eq!(again.status, 204, "{}", again.text);
    for (case, id) in [("soft-deleted", kenji), ("unknown", 99_999)] {
        let base = format!("/api/v2/tickets/{id}");
        for path in ["", "/comments", "/comments/count", "/audits"] {
            let reply = get(&mock, &format!("{base}{path}.json")).await;
            assert_not_found(&reply, &format!("{case}{path}"));
        }
        let private = format!("{base}/comments/{comment}/make_private.json");
        let reply = mock.admin().put(&private, json!({})).await;
        assert_not_found(&reply, &format!("{case} make_private"));
    }
}

#[tokio::test]
async fn list_pages_by_offset_with_a_count_and_absolute_page_links() {
    let mock = Mock::seeded(three_tickets()).await;
    let first = get(&mock, "/api/v2/tickets.json?per_page=2").await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(ids_of(&first, "tickets"), [1, 2]);
    assert_eq!(first.json["count"], 3);
    assert_eq!(first.json["previous_page"], Value::Null);
    let next = format!("{}/api/v2/tickets.json?page=2&per_page=2", mock.url);
    assert_eq!(first.json["next_page"], next);
    let second = get(&mock, "/api/v2/tickets.json?page=2&per_page=2").await;
    assert_eq!(ids_of(&second, "tickets"), [3]);
    assert_eq!(second.json["next_page"], Value::Null, "last page");
    let previous = format!("{}/api/v2/tickets.json?page=1&per_page=2", mock.url);
    assert_eq!(second.json["previous_page"], previous);
}

#[tokio::test]
async fn list_sorts_by_sort_by_and_sort_order_or_by_a_cursor_sort() {
    let mock = Mock::seeded(three_tickets()).await;
    // Updated in the order #2 (at seeding), #1, #3.
    for (id, at) in [(1, 4_102_444_800), (3, 4_102_444_860)] {
        freeze_clock(&mock, at);
        let reply = update(&mock, id, json!({"subject": "touched"})).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let table = json!([
        {"case": "sort_by=id&sort_order=desc", "pages": [[3, 2, 1]]},
        {"case": "sort_by=created_at", "pages": [[2, 3, 1]]},
        {"case": "sort_by=created_at&sort_order=desc", "pages": [[1, 3, 2]]},
        {"case": "sort_by=updated_at", "pages": [[2, 1, 3]]},
        {"case": "sort_by=updated_at&sort_order=desc", "pages": [[3, 1, 2]]},
        {"case": "sort=-updated_at&page[size]=2", "pages": [[3, 1], [2]]},
        {"case": "sort=created_at&page[size]=2", "pages": [[2, 3], [1]]},
        {"case": "page[size]=2", "pages": [[1, 2], [3]]},
    ]);
    for (case, row) in rows(&table) {
        let pages = if case.contains("page[size]") {
            cursor_pages(&mock, &format!("/api/v2/tickets.json?{case}"), "tickets").await
        } else {
            let reply = get(&mock, &format!("/api/v2/tickets.json?{case}")).await;
            assert_eq!(reply.status, 200, "{case}: {}", reply.text);
            vec![ids_of(&reply, "tickets")]
        };
        assert_eq!(json!(pages), row["pages"], "{case}");
    }
}

#[tokio::test]
async fn show_many_returns_the_active_tickets_asked_for_and_refuses_101_ids() {
    let mock = Mock::start().await;
    let maria = ticket_id(&mock, MARIA_OPEN).await;
    let priya = ticket_id(&mock, PRIYA_PENDING).await;
    let kenji = deleted_ticket_id(&mock, KENJI_DELETED).await;
    let ids = comma_list(&[priya, kenji, 99_999, maria]);
    let reply = get(&mock, &format!("/api/v2/tickets/show_many.json?ids={ids}")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(ids_of(&reply, "tickets"), [priya, maria], "live, in order");

    let many: Vec<i64> = (1..=101).collect();
    let path = format!("/api/v2/tickets/show_many.json?ids={}", comma_list(&many));
    let reply = get(&mock, &path).await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_eq!(reply.json, too_many_values());
}

#[tokio::test]
async fn count_counts_live_tickets_only() {
    let mock = Mock::start().await;
    let reply = get(&mock, "/api/v2/tickets/count.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(keys(&reply.json["count"]), ["value", "refreshed_at"]);
    assert_timestamp(&reply.json["count"]["refreshed_at"], "refreshed_at");
    assert_eq!(reply.json["count"]["value"], 4, "one of 5 is soft-deleted");
    let maria = mock.user_id("maria.rossi@example.it").await;
    let id = create_id(&mock, new_ticket(maria, "one more")).await;
    assert_eq!(ticket_count(&mock).await, 5, "after a create");
    let deleted = mock.admin().delete(&format!("/api/v2/tickets/{id}")).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert_eq!(ticket_count(&mock).await, 4, "after a soft delete");
}

#[tokio::test]
async fn a_users_requested_ccd_and_assigned_tickets_are_listed() {
    let mock = Mock::start().await;
    let maria = mock.user_id("maria.rossi@example.it").await;
    let agent = mock.user_id("agent@example.com").await;
    let john = mock.user_id("john.smith@example.com").await;
    let kenji = mock.user_id("kenji.sato@example.jp").await;
    let ccd = json!({"requester_id": maria, "collaborator_ids": [john], "comment": {"body": "cc"}});
    let ccd = create_id(&mock, ccd).await;
    let mut assigned = Vec::new();
    for subject in [ANA_CLOSED, OMAR_SOLVED, PRIYA_PENDING] {
        assigned.push(ticket_id(&mock, subject).await);
    }
    let table = json!([
        {"case": "maria requested", "path": format!("/api/v2/users/{maria}/tickets/requested"), "ids": [ticket_id(&mock, MARIA_OPEN).await, ccd]},
        {"case": "the agent is assigned, closed included", "path": format!("/api/v2/users/{agent}/tickets/assigned"), "ids": assigned},
        {"case": "john is copied", "path": format!("/api/v2/users/{john}/tickets/ccd"), "ids": [ccd]},
        {"case": "kenji's only ticket is soft-deleted", "path": format!("/api/v2/users/{kenji}/tickets/requested"), "ids": []},
    ]);
    for (case, row) in rows(&table) {
        let reply = get(&mock, row["path"].as_str().unwrap_or_default()).await;
        assert_eq!(reply.status, 200, "{case}: {}", reply.text);
        assert_eq!(json!(ids_of(&reply, "tickets")), row["ids"], "{case}");
    }
    let reply = get(&mock, "/api/v2/users/99999/tickets/requested.json").await;
    assert_eq!(reply.status, 404, "unknown user: {}", reply.text);
}

#[tokio::test]
async fn include_users_side_loads_the_people_of_the_tickets() {
    let mock = Mock::start().await;
    let id = ticket_id(&mock, PRIYA_PENDING).await;
    let (mut expected, people) = (Vec::new(), ["priya.patel", "agent", "admin"]);
    for email in people.map(|name| format!("{name}@example.com")) {
        expected.push(mock.user_id(&email).await);
    }
    expected.sort_unstable();
    let reply = get(&mock, &format!("/api/v2/tickets/{id}.json?include=users")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(ids_of(&reply, "users"), expected, "the ticket's people");
    let users = &reply.json["users"];
    assert!(users[0]["email"].is_string(), "{users}");

    let list = get(&mock, "/api/v2/tickets.json?include=users").await;
    let users = ids_of(&list, "users");
    assert_eq!(ids_of(&list, "tickets").len(), 4, "{}", list.text);
    for requester in list.json["tickets"].as_array().into_iter().flatten() {
        let id = requester["requester_id"].as_i64().expect("requester id");
        assert!(users.contains(&id), "requester {id} side-loaded");
    }
    let plain = get(&mock, &format!("/api/v2/tickets/{id}.json")).await;
    assert!(plain.json.get("users").is_none(), "only on request");
}

#[tokio::test]
async fn comments_are_listed_oldest_first_and_reverse_on_request() {
    let mock = Mock::start().await;
    let id = ticket_id(&mock, MARIA_OPEN).await;
    let path = format!("/api/v2/tickets/{id}/comments.json");
    let reply = get(&mock, &path).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let maria = mock.user_id("maria.rossi@example.it").await;
    let agent = mock.user_id("agent@example.com").await;
    let list = reply.json["comments"].as_array().expect("comments");
    assert_eq!(list[0]["author_id"], maria, "the requester wrote first");
    assert_eq!(list[1]["author_id"], agent);
    for comment in list {
        assert!(comment["id"].is_i64(), "{comment}");
        assert!(comment["audit_id"].is_i64(), "{comment}");
        assert_timestamp(&comment["created_at"], "comment created_at");
    }
    insta::assert_json_snapshot!("comments_list", reply.json, {
        ".comments[].id" => "[comment id]",
        ".comments[].audit_id" => "[audit id]",
        ".comments[].created_at" => "[timestamp]",
        ".comments[0].author_id" => "[maria id]",
        ".comments[1].author_id" => "[agent id]",
    });

    let third = json!({"comment": {"body": "Third.", "public": false}});
    assert_eq!(update(&mock, id, third).await.status, 200);
    let ascending = ids_of(&get(&mock, &path).await, "comments");
    assert_eq!(ascending.len(), 3);
    assert!(ascending.is_sorted(), "oldest first: {ascending:?}");
    let descending: Vec<i64> = ascending.iter().rev().copied().collect();
    let reply = get(&mock, &format!("{path}?sort_order=desc")).await;
    assert_eq!(ids_of(&reply, "comments"), descending, "sort_order=desc");
    for (query, expected) in [
        ("sort=-created_at&page[size]=2", &descending),
        ("page[size]=1", &ascending),
    ] {
        let pages = cursor_pages(&mock, &format!("{path}?{query}"), "comments").await;
        assert_eq!(pages.concat(), *expected, "{query}");
        assert!(pages.len() > 1, "{query}: paged");
    }
    let count = get(&mock, &format!("/api/v2/tickets/{id}/comments/count.json")).await;
    assert_eq!(count.json["count"]["value"], 3, "{}", count.text);
    assert_timestamp(&count.json["count"]["refreshed_at"], "refreshed_at");
}

#[tokio::test]
async fn make_private_turns_a_comment_internal_except_on_a_closed_ticket() {
    let mock = Mock::start().await;
    let id = ticket_id(&mock, MARIA_OPEN).await;
    let second = comments(&mock, id).await[1]["id"].clone();
    let path = format!("/api/v2/tickets/{id}/comments/{second}/make_private.json");
    let reply = mock.admin().put(&path, json!({})).await;
    assert_eq!((reply.status, reply.text.as_str()), (200, ""), "200, empty");
    assert_eq!(comments(&mock, id).await[1]["public"], false);

    let closed = ticket_id(&mock, ANA_CLOSED).await;
    let first = comments(&mock, closed).await[0]["id"].clone();
    let table = json!([
        {"case": "closed ticket", "path": format!("/api/v2/tickets/{closed}/comments/{first}/make_private"), "status": 422, "body": closed_prevents_update()},
        {"case": "another ticket's comment", "path": format!("/api/v2/tickets/{id}/comments/{first}/make_private"), "status": 404, "body": not_found()},
        {"case": "unknown comment", "path": format!("/api/v2/tickets/{id}/comments/99999/make_private"), "status": 404, "body": not_found()},
    ]);
    for (case, row) in rows(&table) {
        let path = row["path"].as_str().unwrap_or_default();
        let reply = mock.admin().put(path, json!({})).await;
        assert_eq!(reply.status, row["status"], "{case}: {}", reply.text);
        assert_eq!(reply.json, row["body"], "{case}");
    }
    let untouched = comments(&mock, closed).await[0]["public"].clone();
    assert_eq!(untouched, true, "the closed ticket's comment");
}

#[tokio::test]
async fn audits_list_the_create_and_each_update_oldest_first() {
    let world = json!({"users": [{"name": "Rita Requester", "email": "rita@example.com"}]});
    let mock = Mock::seeded(world).await;
    freeze_clock(&mock, FROZEN_AT);
    let rita = mock.user_id("rita@example.com").await;
    let created = create(&mock, new_ticket(rita, "Audited")).await;
    let change = json!({"status": "pending", "comment": {"body": "Waiting.", "public": false}});
    let updated = update(&mock, 1, change).await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    let reply = get(&mock, "/api/v2/tickets/1/audits.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let audits = &reply.json["audits"];
    assert_eq!(audits[0], created["audit"], "the create audit");
    assert_eq!(audits[1], updated.json["audit"], "the update audit");
    assert!(audits[1]["id"].as_i64() > audits[0]["id"].as_i64(), "order");
    let admin = json!(my_id(&mock, ADMIN_EMAIL).await);
    assert_eq!(audits[0]["author_id"], admin);
    assert_eq!(audits[1]["author_id"], admin);
    // Comment, then a Create per audited field, null ones included: subject, status,
    // priority, type, requester_id, ...
    assert_eq!(audits[0]["events"][5]["field_name"], "requester_id");
    insta::assert_json_snapshot!("audits_list", reply.json, {
        ".audits[].id" => "[audit id]",
        ".audits[].author_id" => "[admin id]",
        ".audits[].events[].id" => "[event id]",
        ".audits[].events[0].author_id" => "[admin id]",
        ".audits[].events[0].audit_id" => "[audit id]",
        ".audits[0].events[3].value" => "[rita id]",
    });
}

#[tokio::test]
async fn end_users_are_forbidden_from_the_ticket_endpoints() {
    let mock = Mock::start().await;
    let own = ticket_id(&mock, MARIA_OPEN).await;
    let maria = mock.as_token("maria.rossi@example.it", "demo-token");
    let me = maria.get("/api/v2/users/me.json").await;
    assert_eq!(me.json["user"]["role"], "end-user", "{}", me.text);
    let table = json!([
        {"case": "list", "method": "GET", "path": "/api/v2/tickets.json"},
        {"case": "show own ticket", "method": "GET", "path": format!("/api/v2/tickets/{own}.json")},
        {"case": "count", "method": "GET", "path": "/api/v2/tickets/count.json"},
        {"case": "show_many", "method": "GET", "path": format!("/api/v2/tickets/show_many.json?ids={own}")},
        {"case": "comments", "method": "GET", "path": format!("/api/v2/tickets/{own}/comments.json")},
        {"case": "audits", "method": "GET", "path": format!("/api/v2/tickets/{own}/audits.json")},
        {"case": "requested", "method": "GET", "path": format!("/api/v2/users/{}/tickets/requested.json", me.json["user"]["id"])},
        {"case": "create", "method": "POST", "path": "/api/v2/tickets.json"},
        {"case": "update", "method": "PUT", "path": format!("/api/v2/tickets/{own}.json")},
    ]);
    let body = json!({"ticket": {"subject": "Mine", "comment": {"body": "Hello"}}});
    for (case, row) in rows(&table) {
        let method = row["method"].as_str().unwrap_or_default();
        let method = method.parse().expect("a method");
        let path = row["path"].as_str().unwrap_or_default();
        let sent = (row["method"] != "GET").then(|| body.clone());
        let reply = maria.send(method, path, sent).await;
        assert_forbidden(&reply, case);
    }
    let subject = show_ticket(&mock, own).await["subject"].clone();
    assert_eq!(subject, MARIA_OPEN, "the update was refused");
}
