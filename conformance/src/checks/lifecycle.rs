//! What Zendesk runs on a schedule — solved tickets closing, 30-day purges — driven by the
//! mock's clock, and the erasure workflow checked with the mock's residue search. All need the
//! control API (facts §3.4, §4.3, §11; design.md "Time, jobs and lifecycle").

use super::expect::{self, Outcome};
use super::{Check, Ctx, check};
use serde_json::json;

const DAY: i64 = 86_400;

/// The checks of this area.
pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "lifecycle.solved_closes_after_4_days",
            Documented,
            "https://support.zendesk.com/hc/en-us/articles/4408832757146 (default automation \"Close ticket 4 days after status is set to solved\")",
            "A solved ticket is still solved after 3 days and closed after 4.",
            solved_closes_after_4_days,
            control
        ),
        check!(
            "lifecycle.soft_deleted_user_purged_after_30_days",
            Documented,
            "https://support.zendesk.com/hc/en-us/articles/5007485121562 (facts §3.4)",
            "A soft-deleted user is permanently deleted 30 days later: the placeholder \
             \"Permanently Deleted User\" replaces them.",
            user_purged_after_30_days,
            control
        ),
        check!(
            "lifecycle.soft_deleted_ticket_scrubbed_after_30_days",
            Documented,
            "facts §4.3 30-day purge [OAS-ae deleted tickets \"scrubbed … in the past 30 days\"]",
            "A soft-deleted ticket leaves the Deleted Tickets view after 30 days; restoring \
             it is then 404.",
            ticket_scrubbed_after_30_days,
            control
        ),
        check!(
            "residue.erasure_workflow_leaves_nothing",
            Documented,
            "https://support.zendesk.com/hc/en-us/articles/4408845703194 (facts §11 erasure)",
            "Redacting, deleting and permanently deleting a user's tickets, then deleting and \
             permanently deleting the user, leaves none of their personal data anywhere.",
            erasure_leaves_nothing,
            control
        ),
    ]
}

async fn advance(ctx: &Ctx, seconds: i64) -> Outcome {
    let reply = ctx.client.advance_clock(seconds).await?;
    expect::status(&reply, 200, "advance the clock")
}

async fn solved_closes_after_4_days(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let ticket = ctx.ticket(user.id, "solved", "Solved").await?;
    advance(ctx, 3 * DAY).await?;
    let shown = ctx.client.show_ticket(ticket.id).await?;
    expect::field(
        &shown,
        "/ticket/status",
        "solved",
        "the ticket 3 days after solving",
    )?;
    advance(ctx, DAY + 3600).await?;
    let shown = ctx.client.show_ticket(ticket.id).await?;
    expect::field(
        &shown,
        "/ticket/status",
        "closed",
        "the ticket 4 days after solving",
    )
}

async fn user_purged_after_30_days(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let deleted = ctx.client.delete_user(user.id).await?;
    expect::status(&deleted, 200, "soft delete")?;
    advance(ctx, 29 * DAY).await?;
    let shown = ctx.client.show_deleted_user(user.id).await?;
    expect::field(
        &shown,
        "/deleted_user/name",
        user.name.as_str(),
        "the deleted user after 29 days",
    )?;
    advance(ctx, 2 * DAY).await?;
    let shown = ctx.client.show_deleted_user(user.id).await?;
    let what = "the deleted user after 31 days";
    expect::field(
        &shown,
        "/deleted_user/name",
        "Permanently Deleted User",
        what,
    )?;
    expect::field(&shown, "/deleted_user/email", json!(null), what)
}

async fn ticket_scrubbed_after_30_days(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let ticket = ctx.ticket(user.id, "open", "Scrub me").await?;
    let deleted = ctx.client.delete_ticket(ticket.id).await?;
    expect::status(&deleted, 204, "soft-delete")?;
    advance(ctx, 31 * DAY).await?;
    let pages = ctx
        .client
        .collect_pages(
            "deleted_tickets",
            &[("page[size]", "100".to_owned())],
            "deleted_tickets",
            100,
        )
        .await?;
    let listed = pages.items.iter().any(|t| t["id"] == ticket.id);
    let last = pages.replies.last().expect("a page");
    expect::that(
        !listed,
        &format!(
            "ticket {} gone from /deleted_tickets after 31 days",
            ticket.id
        ),
        last,
    )?;
    let restore = ctx.client.restore_deleted_ticket(ticket.id).await?;
    expect::error(&restore, 404, "RecordNotFound", "restore a scrubbed ticket")
}

async fn erasure_leaves_nothing(ctx: &mut Ctx) -> Outcome {
    let phone = "+1 202 555 0147";
    let user = ctx.user_with("end-user", json!({"phone": phone})).await?;
    let body = format!(
        "Hi, I am {} ({}), call me on {phone}",
        user.name, user.email
    );
    let ticket = ctx.ticket(user.id, "closed", &body).await?;
    let needles = [user.email.as_str(), user.name.as_str(), phone];
    let before = ctx.client.residue(&needles).await?;
    expect::equal(
        &json!(before.is_empty()),
        &json!(false),
        "residue of the subject before erasure (must find them)",
    )?;
    let comments = ctx.client.list_comments(ticket.id, &[]).await?;
    let html = comments
        .at("/comments/0/html_body")
        .as_str()
        .unwrap_or("")
        .to_owned();
    let mut marked = html.clone();
    for needle in needles {
        marked = marked.replace(needle, &format!("<redact>{needle}</redact>"));
    }
    let redacted = ctx
        .client
        .redact_comment(ticket.id, ticket.comment_id, json!({"html_body": marked}))
        .await?;
    expect::status(
        &redacted,
        200,
        "redact the comment (closed ticket: comment_redactions)",
    )?;
    expect::status(
        &ctx.client.delete_ticket(ticket.id).await?,
        204,
        "delete the ticket",
    )?;
    let permanent = ctx.client.delete_ticket_permanently(ticket.id).await?;
    ctx.job(&permanent).await?;
    expect::status(
        &ctx.client.delete_user(user.id).await?,
        200,
        "delete the user",
    )?;
    expect::status(
        &ctx.client.permanently_delete_user(user.id).await?,
        200,
        "permanently delete the user",
    )?;
    let after = ctx.client.residue(&needles).await?;
    expect::equal(
        &json!(after),
        &json!([]),
        "residue of the subject after erasure",
    )
}
