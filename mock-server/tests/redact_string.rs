//! Legacy string redaction over HTTP, `PUT /api/v2/tickets/{t}/comments/{c}/redact {"text"}`
//! (facts §5.3; design.md "Decisions"): each character of every occurrence becomes one ▇ in
//! body, html_body, plain_body, the audit and the description; who may redact, and what is
//! refused.

mod common;
mod redaction;

use common::assert::assert_id;
use common::bodies::{closed_prevents_update, forbidden, not_found};
use common::world::{residue, show_ticket};
use redaction::{
    BLOCK, add_comment, agent, assert_record_invalid, audit_event_of, blocks, close_ticket,
    comment_of, create_ticket, end_user, set_agents_can_delete_tickets, world,
};
use serde_json::{Value, json};

fn redact_path(ticket: i64, comment: i64) -> String {
    format!("/api/v2/tickets/{ticket}/comments/{comment}/redact.json")
}

/// One redaction case: the comment as created, the text to redact, and what the three text
/// forms must read afterwards (`html` is a fragment of `html_body`; its block count is exact).
struct Case {
    name: &'static str,
    comment: Value,
    text: &'static str,
    body: String,
    html: String,
    plain: String,
    blocks_in_html: usize,
}

fn text_case(name: &'static str, body: &str, text: &'static str, redacted: &str) -> Case {
    Case {
        name,
        comment: json!({ "body": body }),
        text,
        body: redacted.to_owned(),
        html: format!("<p dir=\"auto\">{redacted}</p>"),
        plain: redacted.to_owned(),
        blocks_in_html: redacted.chars().filter(|c| *c == BLOCK).count(),
    }
}

fn cases() -> Vec<Case> {
    vec![
        text_case(
            "ASCII",
            "My SSN is 987-65-4320.",
            "987-65-4320",
            &format!("My SSN is {}.", blocks(11)),
        ),
        text_case(
            "two-byte é",
            "Call René at home",
            "René",
            &format!("Call {} at home", blocks(4)),
        ),
        text_case(
            "three-byte CJK",
            "名前は日本太郎です",
            "日本",
            &format!("名前は{}太郎です", blocks(2)),
        ),
        text_case(
            "four-byte emoji",
            "Mood 🙂 today",
            "🙂",
            &format!("Mood {BLOCK} today"),
        ),
        text_case(
            "repeated occurrences",
            "Jane wrote to Jane",
            "Jane",
            &format!("{0} wrote to {0}", blocks(4)),
        ),
        text_case(
            "overlapping matches",
            "code aaaa end",
            "aaa",
            &format!("code {} end", blocks(4)),
        ),
        Case {
            name: "text spanning markup",
            comment: json!({"html_body": "<p>Call Jane <b>Doe</b> now</p>"}),
            text: "Jane Doe",
            body: format!("Call {} now", blocks(8)),
            html: format!("<p>Call {}<b>{}</b> now</p>", blocks(5), blocks(3)),
            plain: format!("Call {} now", blocks(8)),
            blocks_in_html: 8,
        },
        Case {
            name: "an entity inside the match",
            comment: json!({"html_body": "<p>Buy Smith &amp; Wesson today</p>"}),
            text: "Smith & Wesson",
            body: format!("Buy {} today", blocks(14)),
            html: format!("<p>Buy {} today</p>", blocks(14)),
            plain: format!("Buy {} today", blocks(14)),
            blocks_in_html: 14,
        },
    ]
}

#[tokio::test]
async fn each_character_of_each_occurrence_becomes_one_block_in_every_text_form() {
    let mock = world().await;
    for case in cases() {
        let name = case.name;
        let (ticket, comment) = create_ticket(&mock, case.comment.clone()).await;
        let reply = mock
            .admin()
            .put(&redact_path(ticket, comment), json!({"text": case.text}))
            .await;
        assert_eq!(reply.status, 200, "{name}: {}", reply.text);
        let returned = &reply.json["comment"];
        assert_eq!(returned["id"], comment, "{name}");

        let stored = comment_of(&mock, ticket, comment).await;
        let event = audit_event_of(&mock, ticket, &stored).await;
        for (source, item) in [("response", returned), ("list", &stored), ("audit", &event)] {
            assert_eq!(item["body"], case.body, "{name} ({source}) body");
            assert_eq!(
                item["plain_body"], case.plain,
                "{name} ({source}) plain_body"
            );
            let html = item["html_body"].as_str().expect("html_body");
            assert!(
                html.contains(&case.html),
                "{name} ({source}): {html} lacks {}",
                case.html
            );
            assert_eq!(
                html.chars().filter(|c| *c == BLOCK).count(),
                case.blocks_in_html,
                "{name} ({source}) blocks in {html}"
            );
        }
        assert_eq!(
            show_ticket(&mock, ticket).await["description"],
            case.body,
            "{name}: the first comment is the description"
        );
    }
}

#[tokio::test]
async fn redacting_a_later_comment_leaves_the_description_and_other_comments_alone() {
    let mock = world().await;
    let (ticket, first) = create_ticket(&mock, json!({"body": "Card 4111 on file"})).await;
    let second = add_comment(&mock, ticket, json!({"body": "Card 4111 again"})).await;
    let reply = mock
        .admin()
        .put(&redact_path(ticket, second), json!({"text": "4111"}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json["comment"]["body"],
        format!("Card {} again", blocks(4))
    );
    assert_eq!(
        comment_of(&mock, ticket, first).await["body"],
        "Card 4111 on file"
    );
    assert_eq!(
        show_ticket(&mock, ticket).await["description"],
        "Card 4111 on file"
    );
}

#[tokio::test]
async fn requests_that_match_nothing_are_refused_and_change_nothing() {
    let mock = world().await;
    let (ticket, comment) = create_ticket(&mock, json!({"body": "Phone 202-555-0100"})).await;
    let (other_ticket, other_comment) = create_ticket(&mock, json!({"body": "Other"})).await;
    let before = comment_of(&mock, ticket, comment).await;
    let (own, other) = (
        redact_path(ticket, comment),
        redact_path(ticket, other_comment),
    );
    let cases = [
        (
            "text absent from the comment",
            &own,
            json!({"text": "303-555"}),
            Some("text"),
        ),
        ("empty text", &own, json!({"text": ""}), Some("text")),
        ("no text key", &own, json!({}), Some("text")),
        (
            "comment of another ticket",
            &other,
            json!({"text": "Other"}),
            None,
        ),
        (
            "comment under another ticket id",
            &redact_path(other_ticket, comment),
            json!({"text": "Phone"}),
            None,
        ),
        (
            "unknown ticket",
            &redact_path(ticket + 1000, comment),
            json!({"text": "Phone"}),
            None,
        ),
    ];
    // `Some(field)`: 422 RecordInvalid on that field; `None`: 404 RecordNotFound.
    for (name, path, body, invalid_field) in cases {
        let reply = mock.admin().put(path, body).await;
        match invalid_field {
            Some(field) => assert_record_invalid(&reply, field, name),
            None => {
                assert_eq!(reply.status, 404, "{name}: {}", reply.text);
                assert_eq!(reply.json, not_found(), "{name}");
            }
        }
    }
    assert_eq!(comment_of(&mock, ticket, comment).await, before);
    assert_eq!(
        comment_of(&mock, other_ticket, other_comment).await["body"],
        "Other"
    );
}

#[tokio::test]
async fn closed_ticket_refuses_string_redaction_with_the_recorded_body() {
    let mock = world().await;
    let (ticket, comment) = create_ticket(&mock, json!({"body": "IBAN DE89 3704"})).await;
    close_ticket(&mock, ticket).await;
    let reply = mock
        .admin()
        .put(&redact_path(ticket, comment), json!({"text": "DE89 3704"}))
        .await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(reply.json, closed_prevents_update());
    assert_eq!(
        comment_of(&mock, ticket, comment).await["body"],
        "IBAN DE89 3704"
    );
}

#[tokio::test]
async fn end_user_may_not_redact_even_their_own_ticket() {
    let mock = world().await;
    let (ticket, comment) = create_ticket(&mock, json!({"body": "My secret 12345"})).await;
    let reply = end_user(&mock)
        .put(&redact_path(ticket, comment), json!({"text": "12345"}))
        .await;
    assert_eq!(reply.status, 403, "{}", reply.text);
    assert_eq!(reply.json, forbidden());
    assert_eq!(
        comment_of(&mock, ticket, comment).await["body"],
        "My secret 12345"
    );
}

#[tokio::test]
async fn agent_redacts_only_while_agents_can_delete_tickets_and_admin_always_can() {
    let mock = world().await;
    let (ticket, comment) = create_ticket(&mock, json!({"body": "alpha beta gamma"})).await;
    let allowed = agent(&mock)
        .put(&redact_path(ticket, comment), json!({"text": "alpha"}))
        .await;
    assert_eq!(allowed.status, 200, "setting on: {}", allowed.text);

    set_agents_can_delete_tickets(&mock, false).await;
    let refused = agent(&mock)
        .put(&redact_path(ticket, comment), json!({"text": "beta"}))
        .await;
    assert_eq!(refused.status, 403, "setting off: {}", refused.text);
    assert_eq!(refused.json, forbidden());
    assert_eq!(
        comment_of(&mock, ticket, comment).await["body"],
        format!("{} beta gamma", blocks(5))
    );

    let admin = mock
        .admin()
        .put(&redact_path(ticket, comment), json!({"text": "beta"}))
        .await;
    assert_eq!(admin.status, 200, "admin: {}", admin.text);
    assert_eq!(
        admin.json["comment"]["body"],
        format!("{} {} gamma", blocks(5), blocks(4))
    );
}

#[tokio::test]
async fn after_redaction_the_residue_scan_finds_the_text_nowhere() {
    let mock = world().await;
    let secret = "passport X1234567";
    let (ticket, first) =
        create_ticket(&mock, json!({"body": format!("Hello, my {secret}.")})).await;
    let second = add_comment(
        &mock,
        ticket,
        json!({"html_body": "<p>Again: passport <i>X1234567</i></p>", "public": false}),
    )
    .await;
    let before = residue(&mock, &[secret]).await;
    assert!(
        before.iter().any(|h| h["kind"] == "comment"),
        "the scan sees the comments before redaction: {before:?}"
    );

    for comment in [first, second] {
        let reply = mock
            .admin()
            .put(&redact_path(ticket, comment), json!({"text": secret}))
            .await;
        assert_eq!(reply.status, 200, "comment {comment}: {}", reply.text);
    }
    assert_eq!(
        residue(&mock, &[secret, "X1234567"]).await,
        Vec::<Value>::new()
    );
}

#[tokio::test]
async fn redacted_comment_response_matches_its_snapshot() {
    let mock = world().await;
    let (ticket, comment) = create_ticket(
        &mock,
        json!({"body": "Reach me at jane@home.example, Jane"}),
    )
    .await;
    let reply = mock
        .admin()
        .put(
            &redact_path(ticket, comment),
            json!({"text": "jane@home.example"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let c = &reply.json["comment"];
    assert_eq!(assert_id(&c["id"], "id"), comment);
    assert_eq!(
        assert_id(&c["author_id"], "author_id"),
        redaction::admin_id(&mock).await
    );
    assert_id(&c["audit_id"], "audit_id");
    // The redaction endpoints answer with the recorded field set only (facts §5.4).
    assert!(
        c.get("created_at").is_none() && c.get("via").is_none(),
        "{c}"
    );
    insta::assert_json_snapshot!("redacted_comment", reply.json, {
        ".comment.id" => "[id]",
        ".comment.author_id" => "[id]",
        ".comment.audit_id" => "[id]",
    });
}
