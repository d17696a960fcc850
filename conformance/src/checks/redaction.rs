//! Redaction: the legacy string redaction, comment_redactions, attachments (facts §5.3–5.5).

use super::expect::{self, Outcome};
use super::{Check, Ctx, TicketRef, check};
use serde_json::{Value, json};

const BLOCK: char = '\u{2587}';

/// The checks of this area.
pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "redact.replaces_each_char_with_block",
            Documented,
            "https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/#redact-string-in-comment (facts §5.3)",
            "The legacy redaction replaces each character of the text with one ▇ (U+2587): \
             same length, the rest untouched.",
            replaces_each_char_with_block
        ),
        check!(
            "redact.legacy.refuses_closed",
            Inferred,
            "facts §5.3, §13.4 [not allowed once closed: documented; 422 INFERRED]",
            "The legacy redaction on a closed ticket is 422 RecordInvalid, details.status \
             `Status: closed prevents ticket update`; the comment keeps its text.",
            legacy_refuses_closed
        ),
        check!(
            "redact.legacy.text_not_found_422",
            Inferred,
            "facts §5.3, §13.4 [not documented; 422 INFERRED]",
            "The legacy redaction of text the comment does not contain is 422 RecordInvalid \
             on `text`.",
            legacy_text_not_found
        ),
        check!(
            "redact.comment_redactions.works_on_closed",
            Documented,
            "https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/#redact-ticket-comment-in-agent-workspace (facts §5.4)",
            "comment_redactions redacts <redact>…</redact> parts with ▇, on a closed ticket \
             too.",
            comment_redactions_works_on_closed
        ),
        check!(
            "redact.comment_redactions.redacts_attachment_urls",
            Documented,
            "facts §5.4, §5.5 [OAS: external_attachment_urls; use it once the ticket is closed]",
            "comment_redactions with an attachment's content_url replaces that attachment \
             with an empty redacted.txt, on a closed ticket too.",
            comment_redactions_attachment_urls
        ),
        check!(
            "redact.attachment.becomes_redacted_txt",
            Inferred,
            "facts §5.5 [replaced by an empty redacted.txt: documented; later reads INFERRED]",
            "Attachment redaction answers 200; the attachment then reads file_name \
             redacted.txt, size 0.",
            attachment_becomes_redacted_txt
        ),
        check!(
            "redact.attachment.refuses_closed",
            Documented,
            "https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-attachments/#redact-comment-attachment (facts §5.5)",
            "Attachment redaction is not possible once the ticket is closed: refused, the \
             attachment untouched.",
            attachment_refuses_closed
        ),
    ]
}

/// The ticket's first comment as the comments list shows it.
async fn first_comment(ctx: &Ctx, ticket: &TicketRef) -> Outcome<Value> {
    let reply = ctx.client.list_comments(ticket.id, &[]).await?;
    expect::status(&reply, 200, "list comments")?;
    let comment = reply.at("/comments/0").clone();
    expect::that(comment.is_object(), "a first comment", &reply)?;
    Ok(comment)
}

async fn replaces_each_char_with_block(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let secret = "987-65-4320";
    let ticket = ctx
        .ticket(user.id, "open", &format!("My SSN is {secret}, thanks"))
        .await?;
    let reply = ctx
        .client
        .redact_comment_string(ticket.id, ticket.comment_id, secret)
        .await?;
    expect::status(&reply, 200, "redact the SSN")?;
    let expected = format!(
        "My SSN is {}, thanks",
        BLOCK.to_string().repeat(secret.chars().count())
    );
    expect::field(
        &reply,
        "/comment/plain_body",
        expected.as_str(),
        "the redacted comment",
    )?;
    let listed = ctx.client.list_comments(ticket.id, &[]).await?;
    expect::field(
        &listed,
        "/comments/0/body",
        expected.as_str(),
        "the comment read back",
    )
}

async fn legacy_refuses_closed(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let ticket = ctx.ticket(user.id, "closed", "Card 4111 1111").await?;
    let reply = ctx
        .client
        .redact_comment_string(ticket.id, ticket.comment_id, "4111")
        .await?;
    expect::record_invalid(
        &reply,
        "status",
        "Status: closed prevents ticket update",
        "legacy redaction on a closed ticket",
    )?;
    let comment = first_comment(ctx, &ticket).await?;
    expect::equal(
        &comment["body"],
        &json!("Card 4111 1111"),
        "the comment after the refusal",
    )
}

async fn legacy_text_not_found(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let ticket = ctx.ticket(user.id, "open", "Nothing secret here").await?;
    let reply = ctx
        .client
        .redact_comment_string(ticket.id, ticket.comment_id, "absent-text")
        .await?;
    expect::error(
        &reply,
        422,
        "RecordInvalid",
        "redact text the comment lacks",
    )?;
    expect::that(reply.at("/details/text").is_array(), "details.text", &reply)
}

async fn comment_redactions_works_on_closed(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let ticket = ctx
        .ticket(user.id, "closed", "Call me at 5550100 please")
        .await?;
    let comment = first_comment(ctx, &ticket).await?;
    let html = comment["html_body"].as_str().unwrap_or("");
    let marked = html.replacen("5550100", "<redact>5550100</redact>", 1);
    expect::equal(
        &json!(marked != html),
        &json!(true),
        "the number in the comment's html_body",
    )?;
    let reply = ctx
        .client
        .redact_comment(ticket.id, ticket.comment_id, json!({"html_body": marked}))
        .await?;
    expect::status(&reply, 200, "comment_redactions on a closed ticket")?;
    let expected = format!("Call me at {} please", BLOCK.to_string().repeat(7));
    let after = first_comment(ctx, &ticket).await?;
    expect::equal(
        &after["body"],
        &json!(expected),
        "the comment's body read back",
    )
}

/// A ticket in `status` whose first comment carries one attachment; returns it and the
/// attachment (as the comments list shows it).
async fn with_attachment(ctx: &mut Ctx, status: &str) -> Outcome<(TicketRef, Value)> {
    let user = ctx.end_user().await?;
    let token = ctx
        .upload("passport.txt", "Passport number X1234567")
        .await?;
    let ticket = ctx
        .ticket_with(
            user.id,
            status,
            "See attached",
            json!({"comment": {"uploads": [token]}}),
        )
        .await?;
    let comment = first_comment(ctx, &ticket).await?;
    let attachment = comment["attachments"][0].clone();
    if !attachment["id"].is_i64() {
        return Err(expect::fail(format!(
            "expected the uploaded file as an attachment of the first comment, got {comment}"
        )));
    }
    Ok((ticket, attachment))
}

/// Expects the attachment to read as an empty `redacted.txt` now.
async fn reads_redacted(ctx: &Ctx, attachment: &Value, what: &str) -> Outcome {
    let id = attachment["id"].as_i64().unwrap_or(0);
    let shown = ctx.client.show_attachment(id).await?;
    expect::field(&shown, "/attachment/file_name", "redacted.txt", what)?;
    expect::field(&shown, "/attachment/size", 0, what)
}

async fn comment_redactions_attachment_urls(ctx: &mut Ctx) -> Outcome {
    let (ticket, attachment) = with_attachment(ctx, "closed").await?;
    let url = attachment["content_url"].as_str().unwrap_or("").to_owned();
    let reply = ctx
        .client
        .redact_comment(
            ticket.id,
            ticket.comment_id,
            json!({"external_attachment_urls": [url]}),
        )
        .await?;
    expect::status(
        &reply,
        200,
        "comment_redactions with external_attachment_urls",
    )?;
    reads_redacted(ctx, &attachment, "the attachment after comment_redactions").await
}

async fn attachment_becomes_redacted_txt(ctx: &mut Ctx) -> Outcome {
    let (ticket, attachment) = with_attachment(ctx, "open").await?;
    let id = attachment["id"].as_i64().unwrap_or(0);
    let reply = ctx
        .client
        .redact_attachment(ticket.id, ticket.comment_id, id)
        .await?;
    expect::status(&reply, 200, "redact the attachment")?;
    reads_redacted(ctx, &attachment, "the redacted attachment read back").await
}

async fn attachment_refuses_closed(ctx: &mut Ctx) -> Outcome {
    let (ticket, attachment) = with_attachment(ctx, "closed").await?;
    let id = attachment["id"].as_i64().unwrap_or(0);
    let reply = ctx
        .client
        .redact_attachment(ticket.id, ticket.comment_id, id)
        .await?;
    expect::that(
        (400..500).contains(&reply.status),
        "a refusal (4xx) to redact an attachment of a closed ticket",
        &reply,
    )?;
    let shown = ctx.client.show_attachment(id).await?;
    expect::field(
        &shown,
        "/attachment/file_name",
        "passport.txt",
        "the attachment after the refusal",
    )
}
