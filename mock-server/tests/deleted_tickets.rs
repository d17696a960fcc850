//! Soft and permanent ticket deletion over real HTTP (facts §4.2, §4.3, §6; the guide's
//! "Permanently deleting tickets"): the Deleted Tickets view, restore, the permanent-delete job,
//! what remains afterwards, bulk limits and who may delete.

mod common;
mod ticket_privacy;

use common::Mock;
use common::assert::{
    assert_completed_message, assert_forbidden, assert_job_forms, assert_not_found,
    assert_timestamp,
};
use common::bodies::too_many_values;
use common::json::{comma_list, ids_of, keys};
use common::world::{
    KENJI_DELETED, MARIA_OPEN, OMAR_SOLVED, PRIYA_PENDING, deleted_ticket_id, event_types_about,
    show_ticket, ticket_id,
};
use reqwest::Method;
use serde_json::{Value, json};
use ticket_privacy::{
    as_user, call, deleted_ticket_ids, finished, permanently_delete, residue_places, soft_delete,
};

#[tokio::test]
async fn soft_delete_is_204_and_the_ticket_moves_to_the_deleted_tickets_view() {
    let mock = Mock::start().await;
    let priya = ticket_id(&mock, PRIYA_PENDING).await;
    let kenji = deleted_ticket_id(&mock, KENJI_DELETED).await;
    soft_delete(&mock, priya).await;
    let shown = call(&mock.admin(), &Method::GET, &format!("tickets/{priya}")).await;
    assert_not_found(&shown, "show of a soft-deleted ticket");

    let reply = mock.admin().get("/api/v2/deleted_tickets.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let listed = ids_of(&reply, "deleted_tickets");
    assert_eq!(listed, [priya, kenji], "oldest created first");
    let admin = json!({"id": mock.user_id(common::ADMIN_EMAIL).await, "name": "Demo Admin"});
    let items = reply.json["deleted_tickets"].as_array().expect("list");
    for item in items {
        let fields = ["id", "subject", "actor", "deleted_at", "previous_state"];
        assert_eq!(keys(item), fields, "exactly the recorded fields");
        assert_eq!(keys(&item["actor"]), ["id", "name"]);
        assert_eq!(item["actor"], admin, "the deleting admin");
        assert_timestamp(&item["deleted_at"], "deleted_at");
    }
    assert_eq!(items[0]["subject"], PRIYA_PENDING);
    assert_eq!(items[0]["previous_state"], "pending");
    insta::assert_json_snapshot!("deleted_tickets_list", reply.json, {
        ".deleted_tickets[].id" => "[ticket id]",
        ".deleted_tickets[].actor.id" => "[admin id]",
        ".deleted_tickets[].deleted_at" => "[timestamp]",
    });
}

#[tokio::test]
async fn deleted_tickets_page_by_cursor_and_by_offset() {
    let mock = Mock::start().await;
    for subject in [MARIA_OPEN, OMAR_SOLVED] {
        soft_delete(&mock, ticket_id(&mock, subject).await).await;
    }
    let all = deleted_ticket_ids(&mock).await;
    assert_eq!(all.len(), 3, "kenji's and the two just deleted");
    let admin = mock.admin();

    let first = admin.get("/api/v2/deleted_tickets.json?page[size]=2").await;
    assert_eq!(first.json["meta"]["has_more"], true, "{}", first.text);
    assert!(
        first.json.get("count").is_none(),
        "a cursor page has no count"
    );
    let next = first.json["links"]["next"].as_str().expect("links.next");
    let second = admin
        .get(next.strip_prefix(mock.url.as_str()).expect("local"))
        .await;
    assert_eq!(second.json["meta"]["has_more"], false, "{}", second.text);
    let pages = [
        ids_of(&first, "deleted_tickets"),
        ids_of(&second, "deleted_tickets"),
    ];
    assert_eq!(pages.concat(), all, "cursor pages");

    let page1 = admin
        .get("/api/v2/deleted_tickets.json?per_page=2&page=1")
        .await;
    assert_eq!(page1.json["count"], 3, "{}", page1.text);
    let next_page = format!("{}/api/v2/deleted_tickets.json?page=2&per_page=2", mock.url);
    assert_eq!(page1.json["next_page"], next_page);
    let page2 = admin
        .get("/api/v2/deleted_tickets.json?per_page=2&page=2")
        .await;
    assert_eq!(page2.json["next_page"], Value::Null, "{}", page2.text);
    let pages = [
        ids_of(&page1, "deleted_tickets"),
        ids_of(&page2, "deleted_tickets"),
    ];
    assert_eq!(pages.concat(), all, "offset pages");
}

#[tokio::test]
async fn restore_brings_the_ticket_back_with_its_previous_status() {
    let mock = Mock::start().await;
    let priya = ticket_id(&mock, PRIYA_PENDING).await;
    soft_delete(&mock, priya).await;
    let path = format!("/api/v2/deleted_tickets/{priya}/restore.json");
    let reply = mock.admin().put(&path, json!({})).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json, json!({}), "the recorded body");
    assert_eq!(show_ticket(&mock, priya).await["status"], "pending");
    assert!(!deleted_ticket_ids(&mock).await.contains(&priya));
}

#[tokio::test]
async fn restore_many_brings_every_ticket_back_with_its_status() {
    let mock = Mock::start().await;
    let omar = ticket_id(&mock, OMAR_SOLVED).await;
    let priya = ticket_id(&mock, PRIYA_PENDING).await;
    let kenji = deleted_ticket_id(&mock, KENJI_DELETED).await;
    soft_delete(&mock, omar).await;
    soft_delete(&mock, priya).await;
    let path = format!("/api/v2/deleted_tickets/restore_many.json?ids={omar},{priya}");
    let reply = mock.admin().put(&path, json!({})).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(show_ticket(&mock, omar).await["status"], "solved");
    assert_eq!(show_ticket(&mock, priya).await["status"], "pending");
    assert_eq!(
        deleted_ticket_ids(&mock).await,
        [kenji],
        "only kenji's left"
    );
}

#[tokio::test]
async fn permanent_delete_is_a_queued_job_that_completes_with_a_success_object() {
    let mock = Mock::start().await;
    let kenji = deleted_ticket_id(&mock, KENJI_DELETED).await;
    let queued = permanently_delete(&mock, kenji).await;
    assert_job_forms(&mock, &queued);
    assert_eq!(queued["status"], "queued");
    for field in ["total", "progress", "message", "results"] {
        assert_eq!(queued[field], Value::Null, "queued {field} (recorded null)");
    }

    let done = finished(&mock, &queued).await;
    assert_eq!(done["id"], queued["id"]);
    assert_eq!(done["status"], "completed");
    assert_eq!(
        done["results"],
        json!({"success": true}),
        "an object, not an array"
    );
    assert_eq!(done["total"], Value::Null, "recorded null when completed");
    assert_eq!(
        done["progress"],
        Value::Null,
        "recorded null when completed"
    );
    assert_completed_message(&done["message"]);

    insta::assert_json_snapshot!("permanent_delete_job_queued", queued, {
        ".id" => "[job id]", ".url" => "[job url]",
    });
    insta::assert_json_snapshot!("permanent_delete_job_completed", done, {
        ".id" => "[job id]", ".url" => "[job url]", ".message" => "[Completed at]",
    });
}

#[tokio::test]
async fn after_a_permanent_delete_only_an_anonymous_record_of_the_ticket_remains() {
    let mock = Mock::start().await;
    let admin = mock.admin();
    let priya = ticket_id(&mock, PRIYA_PENDING).await;
    let comments = call(&admin, &Method::GET, &format!("tickets/{priya}/comments")).await;
    let attachment = &comments.json["comments"][0]["attachments"][0];
    let attachment_id = attachment["id"].as_i64().expect("attachment id");
    let content_url = attachment["content_url"].as_str().expect("content_url");
    let content = content_url.strip_prefix(mock.url.as_str()).expect("local");
    let created_at = show_ticket(&mock, priya).await["created_at"].clone();
    let needles = [PRIYA_PENDING, "Attached is my passport scan", "X1234567"];
    let before = [
        "attachment content",
        "audit subject",
        "comment body",
        "comment html_body",
        "comment plain_body",
        "ticket subject",
    ];
    assert_eq!(residue_places(&mock, &needles).await, before, "before");

    soft_delete(&mock, priya).await;
    let job = permanently_delete(&mock, priya).await;
    let done = finished(&mock, &job).await;
    assert_eq!(done["results"], json!({"success": true}), "{done}");

    let gone = [
        (
            "restore",
            Method::PUT,
            format!("deleted_tickets/{priya}/restore"),
        ),
        ("show", Method::GET, format!("tickets/{priya}")),
        ("comments", Method::GET, format!("tickets/{priya}/comments")),
        ("audits", Method::GET, format!("tickets/{priya}/audits")),
        (
            "attachment",
            Method::GET,
            format!("attachments/{attachment_id}"),
        ),
    ];
    for (case, method, path) in &gone {
        assert_not_found(&call(&admin, method, path).await, case);
    }
    let bytes = admin.get(content).await;
    assert_eq!(bytes.status, 404, "attachment content: {}", bytes.text);
    assert!(
        !deleted_ticket_ids(&mock).await.contains(&priya),
        "left the view"
    );
    assert_eq!(residue_places(&mock, &needles).await, Vec::<String>::new());

    let records = admin.get("/__mock/ticket_records").await;
    assert_eq!(records.status, 200, "{}", records.text);
    let records = records.json["ticket_records"]
        .as_array()
        .expect("records")
        .clone();
    assert_eq!(records.len(), 1, "{records:?}");
    let fields = ["id", "created_at", "deleted_at", "previous_status"];
    assert_eq!(keys(&records[0]), fields, "nothing personal");
    assert_eq!(records[0]["id"], priya);
    assert_eq!(records[0]["created_at"], created_at);
    assert_timestamp(&records[0]["deleted_at"], "deleted_at");
    assert_eq!(records[0]["previous_status"], "pending");
}

#[tokio::test]
async fn permanent_delete_of_a_ticket_not_in_the_deleted_view_is_404() {
    let mock = Mock::start().await;
    let maria = ticket_id(&mock, MARIA_OPEN).await;
    let kenji = deleted_ticket_id(&mock, KENJI_DELETED).await;
    finished(&mock, &permanently_delete(&mock, kenji).await).await;
    let cases = [
        ("an active ticket", maria),
        ("an unknown id", 987_654_321),
        ("a ticket already permanently deleted", kenji),
    ];
    for (case, id) in cases {
        let path = format!("deleted_tickets/{id}");
        assert_not_found(&call(&mock.admin(), &Method::DELETE, &path).await, case);
    }
    assert_eq!(show_ticket(&mock, maria).await["id"], maria, "still active");
}

#[tokio::test]
async fn destroy_many_deletes_the_rest_and_reports_a_bad_id_as_a_failed_item() {
    let mock = Mock::start().await;
    let kenji = deleted_ticket_id(&mock, KENJI_DELETED).await;
    let priya = ticket_id(&mock, PRIYA_PENDING).await;
    let maria = ticket_id(&mock, MARIA_OPEN).await;
    soft_delete(&mock, priya).await;
    let ids = comma_list(&[kenji, maria, priya]);
    let path = format!("deleted_tickets/destroy_many?ids={ids}");
    let reply = call(&mock.admin(), &Method::DELETE, &path).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["job_status"]["status"], "queued");
    let done = finished(&mock, &reply.json["job_status"]).await;
    let deleted = |id| json!({"id": id, "action": "delete", "status": "Deleted", "success": true});
    let failed = json!({"id": maria, "action": "delete", "success": false,
                        "error": "RecordNotFound", "details": "Not found"});
    let expected = json!([deleted(kenji), failed, deleted(priya)]);
    assert_eq!(done["results"], expected, "{done}");
    assert_eq!(deleted_ticket_ids(&mock).await, Vec::<i64>::new());
    assert_eq!(
        show_ticket(&mock, maria).await["id"],
        maria,
        "the bad id untouched"
    );
}

#[tokio::test]
async fn destroy_many_with_101_ids_is_400_and_deletes_nothing() {
    let mock = Mock::start().await;
    let kenji = deleted_ticket_id(&mock, KENJI_DELETED).await;
    let ids: Vec<i64> = std::iter::once(kenji).chain(1_000..1_100).collect();
    let path = format!("deleted_tickets/destroy_many?ids={}", comma_list(&ids));
    let reply = call(&mock.admin(), &Method::DELETE, &path).await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_eq!(reply.json, too_many_values());
    assert_eq!(deleted_ticket_ids(&mock).await, [kenji], "nothing deleted");
}

#[tokio::test]
async fn ticket_deletion_is_403_for_agents_without_the_permission_and_for_end_users() {
    let mock = Mock::start().await;
    let agent = as_user(&mock, "agent@example.com");
    let omar = ticket_id(&mock, OMAR_SOLVED).await;
    let reply = call(&agent, &Method::DELETE, &format!("tickets/{omar}")).await;
    assert_eq!(reply.status, 204, "agents may by default: {}", reply.text);

    let setting = json!({"agents_can_delete_tickets": false});
    let patched = mock.admin().patch("/__mock/settings", setting).await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let maria = ticket_id(&mock, MARIA_OPEN).await;
    let kenji = deleted_ticket_id(&mock, KENJI_DELETED).await;
    let cases = [
        ("soft delete", Method::DELETE, format!("tickets/{maria}")),
        (
            "restore",
            Method::PUT,
            format!("deleted_tickets/{kenji}/restore"),
        ),
        (
            "restore_many",
            Method::PUT,
            format!("deleted_tickets/restore_many?ids={kenji}"),
        ),
        (
            "permanent delete",
            Method::DELETE,
            format!("deleted_tickets/{kenji}"),
        ),
        (
            "destroy_many",
            Method::DELETE,
            format!("deleted_tickets/destroy_many?ids={kenji}"),
        ),
    ];
    let end_user = as_user(&mock, "maria.rossi@example.it");
    for (who, client) in [
        ("agent without permission", &agent),
        ("end user", &end_user),
    ] {
        for (case, method, path) in &cases {
            assert_forbidden(&call(client, method, path).await, &format!("{who}: {case}"));
        }
    }
    assert_eq!(show_ticket(&mock, maria).await["id"], maria, "still active");
    assert_eq!(
        deleted_ticket_ids(&mock).await,
        [omar, kenji],
        "view unchanged"
    );
}

#[tokio::test]
async fn event_log_shows_the_soft_delete_then_the_permanent_delete() {
    let mock = Mock::start().await;
    let priya = ticket_id(&mock, PRIYA_PENDING).await;
    soft_delete(&mock, priya).await;
    finished(&mock, &permanently_delete(&mock, priya).await).await;
    let deletions: Vec<String> = event_types_about(&mock.admin(), "ticket_id", priya)
        .await
        .into_iter()
        .filter(|kind| kind.contains("Deleted") || kind.contains("Restored"))
        .collect();
    assert_eq!(deletions, ["TicketSoftDeleted", "TicketPermanentlyDeleted"]);
}
