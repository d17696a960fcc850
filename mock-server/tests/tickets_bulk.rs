//! Bulk ticket calls over real HTTP (facts §2, §4.2, §6): create_many, both forms of
//! update_many and destroy_many answer with a queued job status that completes with a result
//! per ticket; more than 100 items is refused before any job starts.

mod common;
mod tickets;

use common::Mock;
use common::assert::assert_not_found;
use common::bodies::too_many_values;
use common::json::{comma_list, ids_of};
use common::results;
use common::world::{
    ANA_CLOSED, KENJI_DELETED, MARIA_OPEN, PRIYA_PENDING, deleted_ticket_id, show_ticket, ticket_id,
};
use serde_json::{Value, json};
use tickets::{completed_job, get, new_ticket, rows, show};

fn rita() -> Value {
    json!({"users": [{"name": "Rita Requester", "email": "rita@example.com"}]})
}

async fn create_many(mock: &Mock, tickets: Vec<Value>) -> common::Reply {
    let body = json!({ "tickets": tickets });
    mock.admin()
        .post("/api/v2/tickets/create_many.json", body)
        .await
}

async fn update_many(mock: &Mock, query: &str, body: Value) -> common::Reply {
    let path = format!("/api/v2/tickets/update_many.json{query}");
    mock.admin().put(&path, body).await
}

async fn destroy_many(mock: &Mock, ids: &[i64]) -> common::Reply {
    let path = format!("/api/v2/tickets/destroy_many.json?ids={}", comma_list(ids));
    mock.admin().delete(&path).await
}

fn updated(id: i64) -> Value {
    json!({"id": id, "action": "update", "status": "Updated", "success": true})
}

#[tokio::test]
async fn create_many_completes_with_index_id_and_account_id_per_ticket() {
    let mock = Mock::seeded(rita()).await;
    let rita = mock.user_id("rita@example.com").await;
    let reply = create_many(
        &mock,
        vec![new_ticket(rita, "One"), new_ticket(rita, "Two")],
    )
    .await;
    let done = completed_job(&mock, &reply, 2, "Bulk Create Ticket").await;
    let items = results(&done);
    let account_id = items[0]["account_id"].as_i64().expect("integer account_id");
    assert!(account_id > 0, "account_id {account_id}");
    let expected: Vec<Value> = (0..2)
        .map(|index| json!({"index": index, "id": index + 1, "account_id": account_id}))
        .collect();
    assert_eq!(
        items, expected,
        "recorded result shape, ticket ids in order"
    );
    for (id, subject) in [(1, "One"), (2, "Two")] {
        let created = show_ticket(&mock, id).await;
        assert_eq!(created["subject"], subject, "ticket {id}");
        assert_eq!(created["requester_id"], rita, "ticket {id}");
    }
    insta::assert_json_snapshot!("create_many_completed_job", done, {
        ".id" => "[job id]",
        ".url" => "[job url]",
        ".message" => "[Completed at]",
        ".results[].account_id" => "[account id]",
    });
}

#[tokio::test]
async fn create_many_reports_a_refused_ticket_and_creates_the_others() {
    let mock = Mock::seeded(rita()).await;
    let rita = mock.user_id("rita@example.com").await;
    let silent = json!({"subject": "No comment", "requester_id": rita});
    let batch = vec![new_ticket(rita, "One"), silent, new_ticket(rita, "Three")];
    let reply = create_many(&mock, batch).await;
    let done = completed_job(&mock, &reply, 3, "Bulk Create Ticket").await;
    let items = results(&done);
    assert_eq!(
        (&items[0]["index"], &items[0]["id"]),
        (&json!(0), &json!(1))
    );
    assert_eq!(
        (&items[2]["index"], &items[2]["id"]),
        (&json!(2), &json!(2))
    );
    let failed = &items[1];
    assert_eq!(failed["index"], 1, "{failed}");
    assert_eq!(failed["success"], false, "{failed}");
    assert_eq!(failed["error"], "RecordInvalid", "{failed}");
    assert!(failed["details"].is_string(), "{failed}");
    let listed = get(&mock, "/api/v2/tickets.json").await;
    assert_eq!(ids_of(&listed, "tickets"), [1, 2], "two tickets created");
}

#[tokio::test]
async fn bulk_calls_above_100_tickets_are_400_too_many_values_and_start_no_job() {
    let mock = Mock::start().await;
    let maria = mock.user_id("maria.rossi@example.it").await;
    let ids: Vec<i64> = (1..=101).collect();
    let batch: Vec<Value> = ids
        .iter()
        .map(|n| new_ticket(maria, &n.to_string()))
        .collect();
    let changes: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "subject": "x"}))
        .collect();
    let query = format!("?ids={}", comma_list(&ids));
    let replies = [
        ("create_many", create_many(&mock, batch).await),
        (
            "update_many ids",
            update_many(&mock, &query, json!({"ticket": {"subject": "x"}})).await,
        ),
        (
            "update_many batch",
            update_many(&mock, "", json!({ "tickets": changes })).await,
        ),
        ("destroy_many", destroy_many(&mock, &ids).await),
    ];
    for (case, reply) in replies {
        assert_eq!(reply.status, 400, "{case}: {}", reply.text);
        assert_eq!(reply.json, too_many_values(), "{case}");
    }
    let jobs = get(&mock, "/api/v2/job_statuses.json").await;
    assert_eq!(jobs.json["job_statuses"], json!([]), "{}", jobs.text);
    assert_eq!(
        ids_of(&get(&mock, "/api/v2/tickets.json").await, "tickets").len(),
        4
    );
}

#[tokio::test]
async fn update_many_with_ids_applies_one_change_to_every_ticket() {
    let mock = Mock::start().await;
    let maria = ticket_id(&mock, MARIA_OPEN).await;
    let priya = ticket_id(&mock, PRIYA_PENDING).await;
    let change = json!({"ticket": {"status": "hold", "additional_tags": ["bulk"]}});
    let query = format!("?ids={}", comma_list(&[maria, priya]));
    let reply = update_many(&mock, &query, change).await;
    let done = completed_job(&mock, &reply, 2, "Bulk Update Ticket").await;
    assert_eq!(results(&done), [updated(maria), updated(priya)]);
    for id in [maria, priya] {
        let changed = show_ticket(&mock, id).await;
        assert_eq!(changed["status"], "hold", "ticket {id}");
        assert_eq!(changed["tags"], json!(["bulk"]), "ticket {id}");
    }
}

#[tokio::test]
async fn update_many_with_a_batch_applies_each_tickets_own_change() {
    let mock = Mock::start().await;
    let maria = ticket_id(&mock, MARIA_OPEN).await;
    let priya = ticket_id(&mock, PRIYA_PENDING).await;
    let batch = json!({"tickets": [
        {"id": maria, "subject": "Renamed"},
        {"id": priya, "priority": "high"},
    ]});
    let reply = update_many(&mock, "", batch).await;
    let done = completed_job(&mock, &reply, 2, "Bulk Update Ticket").await;
    assert_eq!(results(&done), [updated(maria), updated(priya)]);
    let (maria, priya) = (
        show_ticket(&mock, maria).await,
        show_ticket(&mock, priya).await,
    );
    assert_eq!(
        (&maria["subject"], &maria["priority"]),
        (&json!("Renamed"), &json!("normal"))
    );
    assert_eq!(priya["subject"], PRIYA_PENDING);
    assert_eq!(priya["priority"], "high");
}

#[tokio::test]
async fn update_many_reports_closed_and_unknown_tickets_as_failed_items() {
    let mock = Mock::start().await;
    let closed = ticket_id(&mock, ANA_CLOSED).await;
    let maria = ticket_id(&mock, MARIA_OPEN).await;
    let query = format!("?ids={}", comma_list(&[closed, 99_999, maria]));
    let reply = update_many(&mock, &query, json!({"ticket": {"subject": "Bulk"}})).await;
    let done = completed_job(&mock, &reply, 3, "Bulk Update Ticket").await;
    let items = results(&done);
    let table = json!([
        {"case": "closed", "item": items[0], "id": closed, "error": "RecordInvalid", "details": "Status: closed prevents ticket update"},
        {"case": "unknown", "item": items[1], "id": 99_999, "error": "RecordNotFound", "details": "Not found"},
    ]);
    for (case, row) in rows(&table) {
        let expected = json!({"id": row["id"], "action": "update", "success": false,
            "error": row["error"], "details": row["details"]});
        assert_eq!(row["item"], expected, "{case}");
    }
    assert_eq!(items[2], updated(maria), "the open ticket is still updated");
    assert_eq!(show_ticket(&mock, maria).await["subject"], "Bulk");
    assert_eq!(show_ticket(&mock, closed).await["subject"], ANA_CLOSED);
}

#[tokio::test]
async fn destroy_many_soft_deletes_each_ticket_and_reports_the_missing() {
    let mock = Mock::start().await;
    let maria = ticket_id(&mock, MARIA_OPEN).await;
    let closed = ticket_id(&mock, ANA_CLOSED).await;
    let kenji = deleted_ticket_id(&mock, KENJI_DELETED).await;
    let reply = destroy_many(&mock, &[maria, kenji, closed]).await;
    let done = completed_job(&mock, &reply, 3, "Bulk Update Ticket").await;
    let deleted =
        |id: i64| json!({"id": id, "action": "delete", "status": "Deleted", "success": true});
    let missing = json!({"id": kenji, "action": "delete", "success": false,
        "error": "RecordNotFound", "details": "Not found"});
    assert_eq!(results(&done), [deleted(maria), missing, deleted(closed)]);
    for (case, id) in [
        ("open", maria),
        ("closed", closed),
        ("already deleted", kenji),
    ] {
        assert_not_found(&show(&mock, id).await, case);
    }
    let view = get(&mock, "/api/v2/deleted_tickets.json").await;
    let mut in_view = ids_of(&view, "deleted_tickets");
    in_view.sort_unstable();
    let mut expected = vec![maria, closed, kenji];
    expected.sort_unstable();
    assert_eq!(in_view, expected, "all in the Deleted Tickets view");
}
