//! The erasure workflow of Zendesk's privacy guide, end to end over HTTP, in the guide's order:
//! find the subject and their tickets; redact their data in tickets that stay (open tickets,
//! and another person's ticket that mentions them); permanently delete closed tickets (which
//! cannot be redacted) and tickets with personal data in attachments; close what remains
//! open; only then delete the user, and permanently delete them. Every step's response is
//! checked, including the refusals on the way — the requester guard, redaction of a closed
//! ticket, 101 ids — and at the end a store-wide residue scan proves nothing of the subject
//! remains while the namesake (same name, another person) is untouched.

#[path = "../../mock-server/tests/common/mod.rs"]
mod common;

use common::assert::expect;
use common::world::{comments, kinds, residue};
use common::{Client, Mock, wait_for_job};
use serde_json::{Value, json};

const EMAIL: &str = "jane.subject@example.org";
const PHONE: &str = "+1 202 555 0142";
const NAMESAKE_EMAIL: &str = "jane.subject@elsewhere.example.net";
/// What the residue scan looks for: every kind of the subject's data the world holds.
const NEEDLES: [&str; 4] = [EMAIL, PHONE, "crm-42", "ID card of Jane"];

fn world() -> Value {
    json!({
        "users": [
            {"ref": "agent", "name": "Ada Agent", "email": "ada@support.example", "role": "agent", "verified": true},
            {"ref": "subject", "name": "Jane Subject", "email": EMAIL, "phone": PHONE, "external_id": "crm-42", "verified": true},
            {"ref": "namesake", "name": "Jane Subject", "email": NAMESAKE_EMAIL, "verified": true}
        ],
        "tickets": [
            {"ref": "open", "subject": "Order late", "requester": "subject", "comments": [
                {"body": format!("Hi, I'm Jane. Reach me at {EMAIL} or {PHONE}.")},
                {"author": "agent", "body": format!("We will call {PHONE} tomorrow.")}
            ]},
            {"ref": "closed", "subject": "Old complaint", "requester": "subject", "status": "closed", "assignee": "agent",
             "comments": [{"body": format!("My email is {EMAIL}.")}]},
            {"ref": "attachment", "subject": "ID check", "requester": "subject", "status": "pending", "assignee": "agent",
             "comments": [{"body": "Scan attached.", "attachments": [
                 {"file_name": "id.txt", "content": format!("ID card of Jane Subject, {EMAIL}")}]}]},
            {"ref": "solved", "subject": "Refund", "requester": "subject", "status": "solved", "assignee": "agent",
             "comments": [{"body": "Refund please."}]},
            {"ref": "mention", "subject": "Question about a colleague", "requester": "namesake", "comments": [
                {"body": format!("My colleague's address is {EMAIL}, not mine.")}]},
            {"ref": "namesake-own", "subject": "My own issue", "requester": "namesake", "comments": [
                {"body": "Nothing about anyone else here."}]}
        ]
    })
}

/// Redacts every comment of `ticket` that holds `text` (legacy string redaction).
async fn redact_everywhere(mock: &Mock, ticket: i64, text: &str) -> usize {
    let admin = mock.admin();
    let mut redacted = 0;
    for comment in comments(mock, ticket).await {
        if comment["body"].as_str().is_some_and(|b| b.contains(text)) {
            let path = format!(
                "/api/v2/tickets/{ticket}/comments/{}/redact.json",
                comment["id"]
            );
            let reply = expect(admin.put(&path, json!({"text": text})).await, 200, "redact");
            assert!(
                !reply["comment"]["body"]
                    .as_str()
                    .unwrap_or_default()
                    .contains(text),
                "redacted: {reply}"
            );
            redacted += 1;
        }
    }
    redacted
}

/// Soft-deletes then permanently deletes a ticket, polling the job to completion.
async fn delete_permanently(admin: &Client<'_>, ticket: i64) {
    expect(
        admin
            .delete(&format!("/api/v2/tickets/{ticket}.json"))
            .await,
        204,
        "soft-delete ticket",
    );
    let queued = expect(
        admin
            .delete(&format!("/api/v2/deleted_tickets/{ticket}.json"))
            .await,
        200,
        "permanent delete",
    );
    assert_eq!(queued["job_status"]["status"], "queued");
    let done = wait_for_job(admin, queued["job_status"]["id"].as_str().expect("job id")).await;
    assert_eq!(
        done["results"],
        json!({"success": true}),
        "permanent delete job: {done}"
    );
    expect(
        admin
            .put(
                &format!("/api/v2/deleted_tickets/{ticket}/restore.json"),
                json!({}),
            )
            .await,
        404,
        "restore after permanent delete",
    );
}

#[tokio::test]
async fn the_guides_erasure_workflow_leaves_nothing_of_the_subject_and_spares_the_namesake() {
    let mock = Mock::seeded(world()).await;
    let admin = mock.admin();
    let seeded = expect(admin.get("/api/v2/tickets.json").await, 200, "list tickets");
    let by_subject = |subject: &str| -> i64 {
        seeded["tickets"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["subject"] == subject))
            .and_then(|t| t["id"].as_i64())
            .expect(subject)
    };
    let (open, closed, attachment, solved, mention, namesake_own) = (
        by_subject("Order late"),
        by_subject("Old complaint"),
        by_subject("ID check"),
        by_subject("Refund"),
        by_subject("Question about a colleague"),
        by_subject("My own issue"),
    );

    // 1. Find the subject by email — not by name: the namesake has the same name.
    let found = expect(
        admin
            .get(&format!("/api/v2/users/search.json?query={EMAIL}"))
            .await,
        200,
        "search subject",
    );
    assert_eq!(
        found["count"], 1,
        "only the subject has this email: {found}"
    );
    let subject = found["users"][0]["id"].as_i64().expect("subject id");
    let by_name = expect(
        admin
            .get("/api/v2/users/search.json?query=%22Jane%20Subject%22")
            .await,
        200,
        "search by name",
    );
    assert_eq!(
        by_name["count"], 2,
        "a name search also finds the namesake, so names don't identify: {by_name}"
    );
    let identities = expect(
        admin
            .get(&format!("/api/v2/users/{subject}/identities.json"))
            .await,
        200,
        "identities",
    );
    assert_eq!(
        identities["identities"].as_array().map(Vec::len),
        Some(2),
        "email and phone: {identities}"
    );

    // Before anything is erased the residue scan sees the subject everywhere, so its empty
    // answer at the end means something.
    let before = residue(&mock, &NEEDLES).await;
    assert_eq!(
        kinds(&before),
        ["attachment", "comment", "identity", "user"],
        "{before:?}"
    );

    // 2. Their requested tickets.
    let requested = expect(
        admin
            .get(&format!(
                "/api/v2/users/{subject}/tickets/requested.json?page[size]=100"
            ))
            .await,
        200,
        "requested",
    );
    let mut ids: Vec<i64> = requested["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .filter_map(|t| t["id"].as_i64())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![open, closed, attachment, solved]);

    // 3. The guard refuses to delete the user while any requested ticket is not closed.
    let refused = expect(
        admin.delete(&format!("/api/v2/users/{subject}.json")).await,
        422,
        "delete user too early",
    );
    assert_eq!(
        refused["details"]["base"][0]["description"],
        "User is requester on 3 ticket(s) that are not closed."
    );

    // 4. Redact the open ticket and the namesake's ticket that mentions the subject.
    assert_eq!(redact_everywhere(&mock, open, EMAIL).await, 1);
    assert_eq!(redact_everywhere(&mock, open, PHONE).await, 2);
    assert_eq!(redact_everywhere(&mock, mention, EMAIL).await, 1);

    // 5. A closed ticket cannot be redacted — only permanently deleted.
    let closed_comment = comments(&mock, closed).await[0]["id"].clone();
    let refusal = expect(
        admin
            .put(
                &format!("/api/v2/tickets/{closed}/comments/{closed_comment}/redact.json"),
                json!({"text": EMAIL}),
            )
            .await,
        422,
        "redact closed ticket",
    );
    assert_eq!(
        refusal["details"]["status"][0]["description"],
        "Status: closed prevents ticket update"
    );
    delete_permanently(&admin, closed).await;

    // 6. Personal data in an attachment is not searchable and not redactable as text: the
    //    ticket goes.
    delete_permanently(&admin, attachment).await;

    // 7. Bulk calls take at most 100 ids.
    let many: Vec<String> = (1..=101).map(|n| n.to_string()).collect();
    let too_many = expect(
        admin
            .delete(&format!(
                "/api/v2/deleted_tickets/destroy_many.json?ids={}",
                many.join(",")
            ))
            .await,
        400,
        "101 ids",
    );
    assert_eq!(too_many["error"], "TooManyValues");

    // 8. Close what stays: the redacted open ticket and the solved one.
    for ticket in [open, solved] {
        let closed = expect(
            admin
                .put(
                    &format!("/api/v2/tickets/{ticket}.json"),
                    json!({"ticket": {"status": "closed"}}),
                )
                .await,
            200,
            "close",
        );
        assert_eq!(closed["ticket"]["status"], "closed");
    }

    // 9. Now the user can be deleted, then permanently deleted.
    let deleted = expect(
        admin.delete(&format!("/api/v2/users/{subject}.json")).await,
        200,
        "soft-delete user",
    );
    assert_eq!(deleted["user"]["active"], false);
    let gone = expect(
        admin
            .delete(&format!("/api/v2/deleted_users/{subject}.json"))
            .await,
        200,
        "permanent delete user",
    );
    assert_eq!(gone["deleted_user"]["name"], "Permanently Deleted User");
    assert_eq!(gone["deleted_user"]["email"], Value::Null);
    expect(
        admin.get(&format!("/api/v2/users/{subject}.json")).await,
        404,
        "user after permanent delete",
    );

    // 10. What remains shows the placeholder; nothing of the subject is left anywhere.
    let shown = expect(
        admin
            .get(&format!("/api/v2/tickets/{open}.json?include=users"))
            .await,
        200,
        "ticket with users",
    );
    let requester = shown["users"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["id"] == subject))
        .expect("requester side-loaded");
    assert_eq!(requester["name"], "Permanently Deleted User");
    assert_eq!(requester["email"], Value::Null);
    assert_eq!(
        residue(&mock, &NEEDLES).await,
        Vec::<Value>::new(),
        "no trace of the subject may remain"
    );

    // 11. The namesake and their data are untouched; only the subject's email left their ticket.
    let namesake = expect(
        admin
            .get(&format!("/api/v2/users/search.json?query={NAMESAKE_EMAIL}"))
            .await,
        200,
        "namesake",
    );
    assert_eq!(namesake["users"][0]["name"], "Jane Subject");
    assert_eq!(namesake["users"][0]["active"], true);
    let mention_body = comments(&mock, mention).await[0]["body"].clone();
    assert_eq!(
        mention_body,
        format!(
            "My colleague's address is {}, not mine.",
            "▇".repeat(EMAIL.chars().count())
        )
    );
    assert_eq!(
        comments(&mock, namesake_own).await[0]["body"],
        "Nothing about anyone else here."
    );

    // 12. The event log shows the order the guide requires.
    let events = expect(admin.get("/__mock/events").await, 200, "events");
    let position = |kind: &str, key: &str, id: i64| -> usize {
        events["events"]
            .as_array()
            .and_then(|e| e.iter().position(|e| e["type"] == kind && e[key] == id))
            .unwrap_or_else(|| panic!("no {kind} for {id}"))
    };
    let soft_deleted = position("UserSoftDeleted", "user_id", subject);
    assert!(position("TicketPermanentlyDeleted", "ticket_id", closed) < soft_deleted);
    assert!(position("TicketPermanentlyDeleted", "ticket_id", attachment) < soft_deleted);
    assert!(position("UserPermanentlyDeleted", "user_id", subject) > soft_deleted);
}
