//! Agent Workspace redaction over HTTP, `PUT /api/v2/comment_redactions/{comment_id}` with
//! `{"ticket_id", "html_body" with <redact> markup, "external_attachment_urls"}` (facts §5.4):
//! blocks for the characters inside `<redact>`, the `redact` attribute on links and images,
//! attachments emptied into `redacted.txt`, closed tickets included, and what is refused.

mod common;
mod redaction;

use common::assert::assert_id;
use common::bodies::{forbidden, not_found};
use common::world::{comments, kinds, residue};
use redaction::{
    agent, assert_record_invalid, blocks, close_ticket, comment_of, create_ticket, end_user,
    fetch_content, set_agents_can_delete_tickets, show_attachment, upload, upload_file, world,
};
use serde_json::{Value, json};

fn redactions_path(comment: i64) -> String {
    format!("/api/v2/comment_redactions/{comment}.json")
}

fn html_of(comment: &Value) -> String {
    comment["html_body"].as_str().expect("html_body").to_owned()
}

/// `stored` with each `(from, to)` replaced, after checking `from` is there.
fn edit(stored: &str, edits: &[(&str, &str)]) -> String {
    edits.iter().fold(stored.to_owned(), |html, (from, to)| {
        assert!(html.contains(from), "{from} not in {html}");
        html.replace(from, to)
    })
}

#[tokio::test]
async fn characters_inside_redact_tags_become_blocks_on_open_and_closed_tickets() {
    let mock = world().await;
    for (name, close) in [("open ticket", false), ("closed ticket", true)] {
        let (ticket, comment) =
            create_ticket(&mock, json!({"body": "Call Jane Doe at 555-0100 today"})).await;
        if close {
            close_ticket(&mock, ticket).await;
        }
        let stored = html_of(&comment_of(&mock, ticket, comment).await);
        let submitted = edit(&stored, &[("Jane Doe", "<redact>Jane Doe</redact>")]);
        let reply = mock
            .admin()
            .put(
                &redactions_path(comment),
                json!({"ticket_id": ticket, "html_body": submitted}),
            )
            .await;
        assert_eq!(reply.status, 200, "{name}: {}", reply.text);
        let expected = format!("Call {} at 555-0100 today", blocks(8));
        for (source, item) in [
            ("response", reply.json["comment"].clone()),
            ("list", comment_of(&mock, ticket, comment).await),
        ] {
            assert_eq!(item["id"], comment, "{name} ({source})");
            assert_eq!(item["body"], expected, "{name} ({source}) body");
            assert_eq!(item["plain_body"], expected, "{name} ({source}) plain_body");
            assert_eq!(
                item["html_body"],
                stored.replace("Jane Doe", &blocks(8)),
                "{name} ({source}) html_body"
            );
        }
    }
}

#[tokio::test]
async fn redact_attribute_removes_link_and_image_tags_and_keeps_their_text_unless_redacted() {
    let mock = world().await;
    let (ticket, comment) = create_ticket(
        &mock,
        json!({"html_body": "<p>See <a href=\"https://x.test/jane\">Jane's page</a> and \
            <a href=\"https://x.test/doe\">Doe's page</a> <img src=\"https://x.test/face.png\"></p>"}),
    )
    .await;
    let stored = html_of(&comment_of(&mock, ticket, comment).await);
    let (jane, doe, img) = (
        "<a href=\"https://x.test/jane\">",
        "<a href=\"https://x.test/doe\">Doe's page</a>",
        "<img src=\"https://x.test/face.png\">",
    );
    let submitted = edit(
        &stored,
        &[
            (jane, "<a href=\"https://x.test/jane\" redact>"),
            (
                doe,
                "<a href=\"https://x.test/doe\" redact><redact>Doe's page</redact></a>",
            ),
            (img, "<img src=\"https://x.test/face.png\" redact>"),
        ],
    );
    let reply = mock
        .admin()
        .put(
            &redactions_path(comment),
            json!({"ticket_id": ticket, "html_body": submitted}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let expected_html = edit(
        &stored,
        &[
            (
                "<a href=\"https://x.test/jane\">Jane's page</a>",
                "Jane's page",
            ),
            (doe, &blocks(10)),
            (img, ""),
        ],
    );
    let after = comment_of(&mock, ticket, comment).await;
    assert_eq!(after["html_body"], expected_html);
    assert_eq!(reply.json["comment"]["html_body"], expected_html);
    for field in ["body", "plain_body"] {
        assert_eq!(
            after[field],
            format!("See Jane's page and {}", blocks(10)),
            "{field}"
        );
    }
}

#[tokio::test]
async fn submissions_that_do_not_fit_the_comment_are_refused_and_change_nothing() {
    let mock = world().await;
    let (ticket, comment) = create_ticket(&mock, json!({"body": "Jane lives at 1 Elm St"})).await;
    let (other_token, _) = upload_file(&mock, "other.txt", "other comment's file").await;
    let (other_ticket, _) = create_ticket(&mock, json!({"body": "Unrelated"})).await;
    let reply = mock
        .admin()
        .put(
            &format!("/api/v2/tickets/{ticket}.json"),
            json!({"ticket": {"comment": {"body": "see file", "uploads": [other_token]}}}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let foreign = comments(&mock, ticket).await[1]["attachments"][0].clone();
    let foreign_url = foreign["content_url"].as_str().expect("content_url");

    let before = comment_of(&mock, ticket, comment).await;
    let stored = html_of(&before);
    let good = edit(&stored, &[("1 Elm St", "<redact>1 Elm St</redact>")]);
    let cases = [
        (
            "text that differs from the comment",
            json!({"ticket_id": ticket, "html_body": stored.replace("Jane", "<redact>Janet</redact>")}),
            Expect::Invalid("html_body"),
        ),
        (
            "text with a word missing",
            json!({"ticket_id": ticket, "html_body": stored.replace("Jane ", "<redact></redact>")}),
            Expect::Invalid("html_body"),
        ),
        (
            "no ticket_id",
            json!({"html_body": good}),
            Expect::BadRequest,
        ),
        (
            "ticket_id of another ticket",
            json!({"ticket_id": other_ticket, "html_body": good}),
            Expect::NotFound,
        ),
        (
            "an attachment url of another comment",
            json!({"ticket_id": ticket, "external_attachment_urls": [foreign_url]}),
            Expect::Invalid("external_attachment_urls"),
        ),
        (
            "valid markup with another comment's attachment url",
            json!({"ticket_id": ticket, "html_body": good, "external_attachment_urls": [foreign_url]}),
            Expect::Invalid("external_attachment_urls"),
        ),
    ];
    for (name, body, expect) in cases {
        let reply = mock.admin().put(&redactions_path(comment), body).await;
        match expect {
            Expect::Invalid(field) => assert_record_invalid(&reply, field, name),
            Expect::BadRequest => {
                assert_eq!(reply.status, 400, "{name}: {}", reply.text);
                assert!(reply.json["error"].is_string(), "{name}: {}", reply.text);
            }
            Expect::NotFound => {
                assert_eq!(reply.status, 404, "{name}: {}", reply.text);
                assert_eq!(reply.json, not_found(), "{name}");
            }
        }
        assert_eq!(comment_of(&mock, ticket, comment).await, before, "{name}");
    }
    let id = foreign["id"].as_i64().expect("id");
    assert_eq!(show_attachment(&mock, id).await.json["attachment"], foreign);
}

enum Expect {
    Invalid(&'static str),
    BadRequest,
    NotFound,
}

#[tokio::test]
async fn only_admins_and_permitted_agents_may_use_comment_redactions() {
    let mock = world().await;
    let (ticket, comment) = create_ticket(&mock, json!({"body": "code 4242"})).await;
    let stored = html_of(&comment_of(&mock, ticket, comment).await);
    let body =
        json!({"ticket_id": ticket, "html_body": stored.replace("4242", "<redact>4242</redact>")});
    let reply = end_user(&mock)
        .put(&redactions_path(comment), body.clone())
        .await;
    assert_eq!(reply.status, 403, "end user: {}", reply.text);
    assert_eq!(reply.json, forbidden());
    set_agents_can_delete_tickets(&mock, false).await;
    let reply = agent(&mock)
        .put(&redactions_path(comment), body.clone())
        .await;
    assert_eq!(reply.status, 403, "agent, setting off: {}", reply.text);
    assert_eq!(
        comment_of(&mock, ticket, comment).await["body"],
        "code 4242"
    );
    set_agents_can_delete_tickets(&mock, true).await;
    let reply = agent(&mock).put(&redactions_path(comment), body).await;
    assert_eq!(reply.status, 200, "agent, setting on: {}", reply.text);
    assert_eq!(reply.json["comment"]["body"], format!("code {}", blocks(4)));
}

#[tokio::test]
async fn external_attachment_urls_empty_the_attachment_into_redacted_txt_on_a_closed_ticket() {
    let mock = world().await;
    let secret = "PASSPORT-NO-998877";
    let (token, scan) = upload_file(&mock, "id-scan.txt", secret).await;
    let reply = upload(&mock, "keep.txt", "text/plain", "harmless", Some(&token)).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let keep = reply.json["upload"]["attachment"].clone();
    let (ticket, comment) =
        create_ticket(&mock, json!({"body": "scans attached", "uploads": [token]})).await;
    close_ticket(&mock, ticket).await;
    assert!(kinds(&residue(&mock, &[secret]).await).contains(&"attachment".to_owned()));

    let old_url = scan["content_url"].as_str().expect("content_url");
    let reply = mock
        .admin()
        .put(
            &redactions_path(comment),
            json!({"ticket_id": ticket, "external_attachment_urls": [old_url]}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["comment"]["body"], "scans attached");
    let listed = &reply.json["comment"]["attachments"];
    assert_eq!(listed[0]["file_name"], "redacted.txt", "{listed}");
    assert_eq!(listed[1], keep, "the other attachment is untouched");

    let id = assert_id(&scan["id"], "attachment id");
    let shown = show_attachment(&mock, id).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    let attachment = &shown.json["attachment"];
    assert_eq!(attachment["id"], id);
    assert_eq!(attachment["file_name"], "redacted.txt");
    assert_eq!(attachment["size"], 0);
    assert_eq!(attachment["content_type"], "text/plain");
    let new_url = attachment["content_url"].as_str().expect("content_url");
    for url in [old_url, new_url] {
        let (status, _, bytes) = fetch_content(&mock, url).await;
        assert_eq!((status, bytes.len()), (200, 0), "{url}");
    }
    let keep_url = keep["content_url"].as_str().expect("content_url");
    assert_eq!(fetch_content(&mock, keep_url).await.2, b"harmless");
    assert_eq!(residue(&mock, &[secret]).await, Vec::<Value>::new());
}

#[tokio::test]
async fn comment_redactions_response_matches_its_snapshot() {
    let mock = world().await;
    let (ticket, comment) =
        create_ticket(&mock, json!({"body": "Name: Jane Doe\nDOB: 1990-01-02"})).await;
    let stored = html_of(&comment_of(&mock, ticket, comment).await);
    let submitted = edit(&stored, &[("1990-01-02", "<redact>1990-01-02</redact>")]);
    let reply = mock
        .admin()
        .put(
            &redactions_path(comment),
            json!({"ticket_id": ticket, "html_body": submitted}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let c = &reply.json["comment"];
    assert_eq!(assert_id(&c["id"], "id"), comment);
    assert_id(&c["author_id"], "author_id");
    assert_id(&c["audit_id"], "audit_id");
    insta::assert_json_snapshot!("comment_redactions_response", reply.json, {
        ".comment.id" => "[id]",
        ".comment.author_id" => "[id]",
        ".comment.audit_id" => "[id]",
    });
}

#[tokio::test]
async fn comment_redactions_response_carries_only_the_recorded_fields() {
    let mock = world().await;
    let (ticket, comment) = create_ticket(&mock, json!({"body": "ab"})).await;
    let stored = html_of(&comment_of(&mock, ticket, comment).await);
    let reply = mock
        .admin()
        .put(
            &redactions_path(comment),
            json!({"ticket_id": ticket, "html_body": stored.replace("ab", "<redact>ab</redact>")}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut keys: Vec<&String> = reply.json["comment"]
        .as_object()
        .expect("comment")
        .keys()
        .collect();
    keys.sort();
    let recorded = [
        "attachments",
        "audit_id",
        "author_id",
        "body",
        "html_body",
        "id",
        "plain_body",
        "public",
        "type",
    ];
    assert_eq!(keys, recorded);
}
