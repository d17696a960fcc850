//! The requester guard over real HTTP (design.md decisions, facts §3.4): a user who requests
//! any ticket that is not closed (solved counts; soft-deleted tickets do not) cannot be
//! deleted, alone or in bulk; and once a requester is permanently deleted, their tickets show
//! the "Permanently Deleted User" placeholder.

mod common;
mod tickets;

use common::results;
use common::world::{ANA_CLOSED, MARIA_OPEN, ticket_id};
use common::{Mock, Reply};
use serde_json::{Value, json};
use tickets::{completed_job, create_id, get, new_ticket, rows, update, with};

/// The guard's 422 body (design.md: INFERRED status and wording after ZD2's mock).
fn guarded(n: usize) -> Value {
    let description = format!("User is requester on {n} ticket(s) that are not closed.");
    json!({"error": "RecordInvalid", "description": "Record validation errors",
        "details": {"base": [{"description": description}]}})
}

async fn delete_user(mock: &Mock, id: i64) -> Reply {
    mock.admin()
        .delete(&format!("/api/v2/users/{id}.json"))
        .await
}

async fn is_active(mock: &Mock, id: i64) -> Value {
    let reply = get(mock, &format!("/api/v2/users/{id}.json")).await;
    assert_eq!(reply.status, 200, "user {id}: {}", reply.text);
    reply.json["user"]["active"].clone()
}

/// A new end user requesting one ticket per status; returns the user's id.
async fn requester_of(mock: &Mock, email: &str, statuses: &[&str]) -> i64 {
    let user = mock.create_user("Guarded Person", email).await;
    for status in statuses {
        let ticket = with(new_ticket(user, status), json!({ "status": status }));
        create_id(mock, ticket).await;
    }
    user
}

#[tokio::test]
async fn a_requester_of_a_ticket_in_any_status_but_closed_cannot_be_deleted() {
    let mock = Mock::start().await;
    for status in ["new", "open", "pending", "hold", "solved"] {
        let user = requester_of(&mock, &format!("{status}@example.com"), &[status]).await;
        let reply = delete_user(&mock, user).await;
        assert_eq!(reply.status, 422, "{status}: {}", reply.text);
        assert_eq!(reply.json, guarded(1), "{status}");
        assert_eq!(is_active(&mock, user).await, true, "{status}: still active");
    }
}

#[tokio::test]
async fn the_guard_counts_every_unclosed_ticket_the_user_requests_and_nothing_else() {
    let mock = Mock::start().await;
    let statuses = ["new", "solved", "closed", "pending", "closed", "hold"];
    let user = requester_of(&mock, "many@example.com", &statuses).await;
    let maria = mock.user_id("maria.rossi@example.it").await;
    let copied =
        json!({"requester_id": maria, "collaborator_ids": [user], "comment": {"body": "cc"}});
    create_id(&mock, copied).await;
    let reply = delete_user(&mock, user).await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(
        reply.json,
        guarded(4),
        "new, solved, pending, hold; not closed, not copied"
    );
}

#[tokio::test]
async fn demo_requesters_are_guarded_by_the_status_of_their_live_tickets() {
    let mock = Mock::start().await;
    let table = json!([
        {"case": "maria requests a live unsolved ticket", "email": "maria.rossi@example.it", "status": 422},
        {"case": "omar's ticket is solved, not closed", "email": "omar.haddad@example.com", "status": 422},
        {"case": "priya's ticket is pending", "email": "priya.patel@example.com", "status": 422},
        {"case": "ana's only ticket is closed", "email": "ana.garcia@example.es", "status": 200},
        {"case": "kenji's only ticket is soft-deleted", "email": "kenji.sato@example.jp", "status": 200},
        {"case": "li requests nothing", "email": "li.wei@example.cn", "status": 200},
    ]);
    for (case, row) in rows(&table) {
        let user = mock
            .user_id(row["email"].as_str().unwrap_or_default())
            .await;
        let reply = delete_user(&mock, user).await;
        assert_eq!(reply.status, row["status"], "{case}: {}", reply.text);
        let deleted = reply.status == 200;
        if !deleted {
            assert_eq!(reply.json, guarded(1), "{case}");
        }
        assert_eq!(is_active(&mock, user).await, !deleted, "{case}");
    }
}

#[tokio::test]
async fn soft_deleting_the_ticket_or_closing_it_lifts_the_guard() {
    let mock = Mock::start().await;
    let table = json!([
        {"case": "soft-deleted ticket", "email": "gone@example.com"},
        {"case": "closed ticket", "email": "closed@example.com"},
    ]);
    for (case, row) in rows(&table) {
        let user = requester_of(&mock, row["email"].as_str().unwrap_or_default(), &["open"]).await;
        let refused = delete_user(&mock, user).await;
        assert_eq!(refused.json, guarded(1), "{case}: before");
        let requested = get(&mock, &format!("/api/v2/users/{user}/tickets/requested")).await;
        let id = requested.json["tickets"][0]["id"]
            .as_i64()
            .expect("ticket id");
        let lifted = if case == "closed ticket" {
            update(&mock, id, json!({"status": "closed"})).await
        } else {
            mock.admin().delete(&format!("/api/v2/tickets/{id}")).await
        };
        assert!(
            matches!(lifted.status, 200 | 204),
            "{case}: {}",
            lifted.text
        );
        let reply = delete_user(&mock, user).await;
        assert_eq!(reply.status, 200, "{case}: after: {}", reply.text);
        assert_eq!(reply.json["user"]["active"], false, "{case}");
    }
}

#[tokio::test]
async fn after_the_demo_ticket_is_closed_its_requester_can_be_deleted() {
    let mock = Mock::start().await;
    let maria = mock.user_id("maria.rossi@example.it").await;
    let ticket = ticket_id(&mock, MARIA_OPEN).await;
    assert_eq!(
        delete_user(&mock, maria).await.json,
        guarded(1),
        "while unclosed"
    );
    let closed = update(&mock, ticket, json!({"status": "closed"})).await;
    assert_eq!(closed.status, 200, "{}", closed.text);
    let reply = delete_user(&mock, maria).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(is_active(&mock, maria).await, false);
}

#[tokio::test]
async fn destroy_many_reports_the_guard_per_user_and_deletes_the_others() {
    let mock = Mock::start().await;
    let maria = mock.user_id("maria.rossi@example.it").await;
    let ana = mock.user_id("ana.garcia@example.es").await;
    let kenji = mock.user_id("kenji.sato@example.jp").await;
    let path = format!("/api/v2/users/destroy_many.json?ids={ana},{maria},{kenji}");
    let reply = mock.admin().delete(&path).await;
    let done = completed_job(&mock, &reply, 3, "Bulk Delete User").await;
    let deleted =
        |id: i64| json!({"id": id, "action": "delete", "status": "Deleted", "success": true});
    let refused = json!({"id": maria, "action": "delete", "success": false, "error": "RecordInvalid",
        "details": "User is requester on 1 ticket(s) that are not closed."});
    assert_eq!(results(&done), [deleted(ana), refused, deleted(kenji)]);
    for (case, id, active) in [
        ("ana", ana, false),
        ("maria", maria, true),
        ("kenji", kenji, false),
    ] {
        assert_eq!(is_active(&mock, id).await, active, "{case}");
    }
}

#[tokio::test]
async fn a_permanently_deleted_requester_shows_as_the_placeholder_on_their_ticket() {
    let mock = Mock::start().await;
    let ana = mock.user_id("ana.garcia@example.es").await;
    let ticket = ticket_id(&mock, ANA_CLOSED).await;
    assert_eq!(delete_user(&mock, ana).await.status, 200, "soft delete");
    let purge = mock
        .admin()
        .delete(&format!("/api/v2/deleted_users/{ana}.json"))
        .await;
    assert_eq!(purge.status, 200, "permanent delete: {}", purge.text);

    let reply = get(
        &mock,
        &format!("/api/v2/tickets/{ticket}.json?include=users"),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json["ticket"]["requester_id"], ana,
        "the ticket keeps requester_id"
    );
    let users = reply.json["users"].as_array().expect("side-loaded users");
    let requester = users.iter().find(|u| u["id"] == ana);
    let requester = requester.unwrap_or_else(|| panic!("requester side-loaded: {}", reply.text));
    assert_eq!(requester["name"], "Permanently Deleted User");
    assert_eq!(requester["email"], Value::Null, "{requester}");
    assert_eq!(requester["phone"], Value::Null, "{requester}");
    assert_eq!(requester["active"], false, "{requester}");
    assert!(
        !reply.text.contains("ana.garcia@example.es"),
        "no email left: {}",
        reply.text
    );
    assert!(
        !reply.text.contains("Ana Garc"),
        "no name left: {}",
        reply.text
    );
}
