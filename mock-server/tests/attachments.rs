//! Uploads, attachments and attachment redaction over HTTP (facts §5.1, §5.5): the upload
//! envelope, adding to an upload, comments that claim uploads, the exact bytes behind
//! `content_url`, deleted and unknown tokens, and `…/attachments/{id}/redact`.

mod common;
mod redaction;

use common::assert::{assert_id, assert_timestamp};
use common::bodies::{closed_prevents_update, forbidden, not_found};
use common::world::{comments, kinds, residue};
use common::{ADMIN_EMAIL, ADMIN_TOKEN};
use redaction::{
    add_comment, assert_attachment_urls, assert_record_invalid, close_ticket, comment_of,
    create_ticket, end_user, fetch_content, show_attachment, upload, upload_file, world,
};
use reqwest::Method;
use serde_json::{Value, json};

fn redact_path(ticket: i64, comment: i64, attachment: i64) -> String {
    format!("/api/v2/tickets/{ticket}/comments/{comment}/attachments/{attachment}/redact.json")
}

fn id_of(attachment: &Value) -> i64 {
    assert_id(&attachment["id"], "attachment id")
}

#[tokio::test]
async fn upload_answers_201_with_token_expiry_attachment_and_location() {
    let mock = world().await;
    let reply = upload(&mock, "notes.txt", "text/plain", "hello notes", None).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let upload = &reply.json["upload"];
    let token = upload["token"].as_str().expect("token");
    assert!(
        token.len() >= 16 && token.chars().all(|c| c.is_ascii_alphanumeric()),
        "{token}"
    );
    assert_eq!(
        reply.header("location"),
        Some(format!("{}/api/v2/uploads/{token}.json", mock.url).as_str())
    );
    assert_timestamp(&upload["expires_at"], "expires_at");
    let attachment = &upload["attachment"];
    assert_attachment_urls(attachment, &mock.url, "attachment");
    assert_eq!(attachment["file_name"], "notes.txt");
    assert_eq!(attachment["content_type"], "text/plain");
    assert_eq!(attachment["size"], "hello notes".len());
    assert_eq!(upload["attachments"], json!([attachment]));
    insta::assert_json_snapshot!("upload_response", reply.json, {
        ".upload.token" => "[token]",
        ".upload.expires_at" => "[timestamp]",
        ".upload.attachment.id" => "[id]",
        ".upload.attachment.url" => "[url]",
        ".upload.attachment.content_url" => "[url]",
        ".upload.attachment.mapped_content_url" => "[url]",
        ".upload.attachments[].id" => "[id]",
        ".upload.attachments[].url" => "[url]",
        ".upload.attachments[].content_url" => "[url]",
        ".upload.attachments[].mapped_content_url" => "[url]",
    });
}

#[tokio::test]
async fn second_upload_with_the_token_joins_the_upload_and_a_comment_takes_both() {
    let mock = world().await;
    let (token, first) = upload_file(&mock, "notes.txt", "first file").await;
    let reply = upload(&mock, "more.csv", "text/csv", "a,b\n1,2\n", Some(&token)).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let upload = &reply.json["upload"];
    assert_eq!(upload["token"], token);
    let second = &upload["attachment"];
    assert_eq!(second["file_name"], "more.csv");
    assert_ne!(second["id"], first["id"]);
    assert_eq!(upload["attachments"], json!([first, second]));

    let created = mock
        .admin()
        .post(
            "/api/v2/tickets.json",
            json!({"ticket": {"subject": "files", "requester": redaction::END_USER,
                "comment": {"body": "two files", "uploads": [token]}}}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let events = created.json["audit"]["events"].as_array().expect("events");
    let event = events
        .iter()
        .find(|e| e["type"] == "Comment")
        .expect("Comment event");
    assert_eq!(event["attachments"], json!([first, second]));
    let ticket = created.json["ticket"]["id"].as_i64().expect("ticket id");
    assert_eq!(
        comments(&mock, ticket).await[0]["attachments"],
        json!([first, second])
    );
}

#[tokio::test]
async fn attachment_is_shown_by_id_and_its_content_url_serves_the_exact_bytes() {
    let mock = world().await;
    let bytes: Vec<u8> = vec![
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x80,
    ];
    let reply = mock
        .http
        .post(format!(
            "{}/api/v2/uploads.json?filename=scan.png",
            mock.url
        ))
        .basic_auth(format!("{ADMIN_EMAIL}/token"), Some(ADMIN_TOKEN))
        .header("content-type", "image/png")
        .body(bytes.clone())
        .send()
        .await
        .expect("upload sent");
    assert_eq!(reply.status().as_u16(), 201);
    let uploaded: Value = reply.json().await.expect("upload json");
    let token = uploaded["upload"]["token"].as_str().expect("token");
    let (ticket, comment) = create_ticket(&mock, json!({"body": "scan", "uploads": [token]})).await;
    let on_comment = &comment_of(&mock, ticket, comment).await["attachments"][0];

    let id = id_of(on_comment);
    let shown = show_attachment(&mock, id).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    let attachment = &shown.json["attachment"];
    assert_eq!(attachment, on_comment);
    assert_attachment_urls(attachment, &mock.url, "shown");
    assert_eq!(attachment["size"], bytes.len());
    let url = attachment["content_url"].as_str().expect("content_url");
    assert_eq!(
        fetch_content(&mock, url).await,
        (200, "image/png".to_owned(), bytes)
    );
    insta::assert_json_snapshot!("attachment", shown.json, {
        ".attachment.id" => "[id]",
        ".attachment.url" => "[url]",
        ".attachment.content_url" => "[url]",
        ".attachment.mapped_content_url" => "[url]",
    });
}

#[tokio::test]
async fn deleted_upload_loses_its_bytes_and_its_token_can_no_longer_be_used() {
    let mock = world().await;
    let secret = "orphaned-upload-secret-31337";
    let (token, attachment) = upload_file(&mock, "draft.txt", secret).await;
    assert_eq!(kinds(&residue(&mock, &[secret]).await), ["upload"]);

    let deleted = mock
        .admin()
        .delete(&format!("/api/v2/uploads/{token}.json"))
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert_eq!(deleted.text, "");
    let reply = mock
        .admin()
        .post(
            "/api/v2/tickets.json",
            json!({"ticket": {"requester": redaction::END_USER,
                "comment": {"body": "late", "uploads": [token]}}}),
        )
        .await;
    assert_record_invalid(&reply, "uploads", "comment naming a deleted upload");
    assert_eq!(show_attachment(&mock, id_of(&attachment)).await.status, 404);
    let url = attachment["content_url"].as_str().expect("content_url");
    assert_eq!(fetch_content(&mock, url).await.0, 404);
    assert_eq!(residue(&mock, &[secret]).await, Vec::<Value>::new());
}

/// Creates and updates a ticket with a comment naming an unknown upload token: each is a 422 on
/// `uploads`; with `unchanged`, also checks that neither left a ticket or a change behind.
async fn refuse_unknown_upload_token(unchanged: bool) {
    let mock = world().await;
    let (ticket, _) = create_ticket(&mock, json!({"body": "existing"})).await;
    let state = || async {
        let admin = mock.admin();
        (
            admin.get("/api/v2/tickets/count.json").await.json["count"]["value"].clone(),
            admin
                .get(&format!("/api/v2/tickets/{ticket}.json"))
                .await
                .json,
            admin
                .get(&format!("/api/v2/tickets/{ticket}/audits.json"))
                .await
                .json,
        )
    };
    let before = state().await;
    let comment = json!({"body": "with file", "uploads": ["no-such-token"]});
    let cases = [
        (
            "creating a ticket",
            Method::POST,
            "/api/v2/tickets.json".to_owned(),
            json!({"ticket": {"requester": redaction::END_USER, "comment": comment}}),
        ),
        (
            "updating a ticket with a status change",
            Method::PUT,
            format!("/api/v2/tickets/{ticket}.json"),
            json!({"ticket": {"status": "pending", "comment": comment}}),
        ),
    ];
    for (name, method, path, body) in cases {
        let reply = mock.admin().send(method, &path, Some(body)).await;
        assert_record_invalid(&reply, "uploads", name);
        if unchanged {
            assert_eq!(
                state().await,
                before,
                "{name}: (ticket count, ticket, audits)"
            );
        }
    }
}

#[tokio::test]
async fn comments_naming_an_unknown_upload_token_are_refused_on_uploads() {
    refuse_unknown_upload_token(false).await;
}

#[tokio::test]
async fn a_refused_unknown_upload_token_leaves_no_ticket_and_no_change_behind() {
    refuse_unknown_upload_token(true).await;
}

#[tokio::test]
async fn an_upload_added_to_an_unknown_token_is_404() {
    let mock = world().await;
    let reply = upload(&mock, "lost.txt", "text/plain", "x", Some("no-such-token")).await;
    assert_eq!(reply.status, 404, "{}", reply.text);
    assert_eq!(reply.json, not_found());
}

#[tokio::test]
async fn an_upload_refused_for_an_unknown_token_keeps_no_bytes() {
    let mock = world().await;
    let secret = "bytes-for-a-missing-upload-4711";
    let reply = upload(
        &mock,
        "lost.txt",
        "text/plain",
        secret,
        Some("no-such-token"),
    )
    .await;
    assert_eq!(reply.status, 404, "{}", reply.text);
    assert_eq!(residue(&mock, &[secret]).await, Vec::<Value>::new());
}

#[tokio::test]
async fn attachment_redaction_answers_with_the_original_and_later_reads_show_empty_redacted_txt() {
    let mock = world().await;
    let secret = "Passport P-55512345 of Jane";
    let (token, original) = upload_file(&mock, "passport.txt", secret).await;
    let (ticket, comment) = create_ticket(&mock, json!({"body": "scan", "uploads": [token]})).await;
    let id = id_of(&original);
    assert_eq!(kinds(&residue(&mock, &[secret]).await), ["attachment"]);

    let reply = mock
        .admin()
        .put(&redact_path(ticket, comment, id), json!({}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let returned = &reply.json["attachment"];
    assert_eq!(returned["id"], id);
    assert_eq!(
        returned["file_name"], "passport.txt",
        "recorded: original name"
    );
    assert_eq!(returned["size"], secret.len(), "recorded: original size");
    assert_eq!(returned["deleted"], false);

    let shown = &show_attachment(&mock, id).await.json["attachment"];
    assert_eq!(shown["file_name"], "redacted.txt");
    assert_eq!(shown["size"], 0);
    assert_eq!(shown["content_type"], "text/plain");
    assert_eq!(
        &comment_of(&mock, ticket, comment).await["attachments"][0],
        shown
    );
    for url in [&original["content_url"], &shown["content_url"]] {
        let (status, _, bytes) = fetch_content(&mock, url.as_str().expect("url")).await;
        assert_eq!((status, bytes.len()), (200, 0), "{url}");
    }
    assert_eq!(residue(&mock, &[secret]).await, Vec::<Value>::new());
}

#[tokio::test]
async fn attachment_redaction_is_refused_where_it_does_not_apply() {
    let mock = world().await;
    let (token, a1) = upload_file(&mock, "one.txt", "one").await;
    let (ticket, c1) = create_ticket(&mock, json!({"body": "first", "uploads": [token]})).await;
    let (token, a2) = upload_file(&mock, "two.txt", "two").await;
    let c2 = add_comment(&mock, ticket, json!({"body": "second", "uploads": [token]})).await;
    let (token, b1) = upload_file(&mock, "closed.txt", "tri").await;
    let (closed, cb) = create_ticket(&mock, json!({"body": "closed", "uploads": [token]})).await;
    close_ticket(&mock, closed).await;
    let (a1, a2, b1) = (id_of(&a1), id_of(&a2), id_of(&b1));

    let admin = mock.admin();
    let user = end_user(&mock);
    let cases = [
        (
            "closed ticket",
            &admin,
            redact_path(closed, cb, b1),
            422,
            closed_prevents_update(),
        ),
        (
            "attachment of another comment",
            &admin,
            redact_path(ticket, c1, a2),
            404,
            not_found(),
        ),
        (
            "comment of another ticket",
            &admin,
            redact_path(ticket, cb, b1),
            404,
            not_found(),
        ),
        (
            "unknown attachment",
            &admin,
            redact_path(ticket, c2, a2 + 1000),
            404,
            not_found(),
        ),
        (
            "end user",
            &user,
            redact_path(ticket, c1, a1),
            403,
            forbidden(),
        ),
    ];
    for (name, client, path, status, body) in cases {
        let reply = client.put(&path, json!({})).await;
        assert_eq!(reply.status, status, "{name}: {}", reply.text);
        assert_eq!(reply.json, body, "{name}");
    }
    for (id, name) in [(a1, "one.txt"), (a2, "two.txt"), (b1, "closed.txt")] {
        let shown = &show_attachment(&mock, id).await.json["attachment"];
        assert_eq!(
            (&shown["file_name"], &shown["size"]),
            (&json!(name), &json!(3)),
            "{name}"
        );
    }
}
