//! Suspended users and the suspended-tickets queue (facts §3.6).

use super::expect::{self, Outcome};
use super::{Check, Ctx, check};
use crate::client::join_ids;
use reqwest::Method;
use serde_json::json;

/// The checks of this area.
pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "suspended_tickets.suspended_sender_is_held",
            Documented,
            "facts §3.6 [OAS suspended field: tickets they submit go to the suspended queue]",
            "Mail from a suspended user becomes a suspended ticket, not a ticket.",
            suspended_sender_is_held,
            control
        ),
        check!(
            "suspended_tickets.recover_many_keeps_requester",
            Documented,
            "https://developer.zendesk.com/api-reference/ticketing/tickets/suspended_tickets/#recover-multiple-suspended-tickets (facts §3.6)",
            "recover_many turns held mail into tickets whose requester is the original \
             sender, and empties the queue of them.",
            recover_many_keeps_requester,
            control
        ),
        check!(
            "suspended_tickets.recover_many_max_100_422",
            Recorded,
            "facts §2, §3.6 [cloudbees-oss/zendesk-java-client#384]",
            "suspended_tickets/recover_many with 101 ids is 422 (not the 400 of other bulk \
             calls).",
            recover_many_max_100
        ),
    ]
}

/// A suspended end user who has mailed the support address; returns the user and the
/// suspended ticket's id.
async fn held_mail(ctx: &mut Ctx) -> Outcome<(super::Person, i64)> {
    let user = ctx.end_user().await?;
    let suspend = ctx
        .client
        .update_user(user.id, json!({"suspended": true}))
        .await?;
    expect::status(&suspend, 200, "suspend the user")?;
    let mail = ctx
        .client
        .inbound_email(&user.name, &user.email, "Held", "Please erase my data")
        .await?;
    expect::status(&mail, 201, "mail from the suspended user")?;
    let id = mail.require_id("/suspended_ticket_id")?;
    ctx.adopt_suspended_ticket(id);
    Ok((user, id))
}

async fn suspended_sender_is_held(ctx: &mut Ctx) -> Outcome {
    let (user, id) = held_mail(ctx).await?;
    let shown = ctx.client.show_suspended_ticket(id).await?;
    expect::status(&shown, 200, "show the suspended ticket")?;
    expect::field(
        &shown,
        "/suspended_ticket/author/email",
        user.email.as_str(),
        "the suspended ticket's author",
    )?;
    let requested = ctx.client.user_tickets(user.id, "requested", &[]).await?;
    expect::field(
        &requested,
        "/tickets",
        json!([]),
        "the suspended user's requested tickets",
    )
}

async fn recover_many_keeps_requester(ctx: &mut Ctx) -> Outcome {
    let (user, id) = held_mail(ctx).await?;
    let lift = ctx
        .client
        .update_user(user.id, json!({"suspended": false}))
        .await?;
    expect::status(&lift, 200, "lift the suspension")?;
    let reply = ctx.client.recover_many_suspended_tickets(&[id]).await?;
    expect::status(&reply, 200, "recover_many")?;
    if let Some(ticket) = reply.id_at("/tickets/0/id") {
        ctx.adopt_ticket(ticket);
    }
    expect::field(
        &reply,
        "/tickets/0/requester_id",
        user.id,
        "the recovered ticket's requester",
    )?;
    let gone = ctx.client.show_suspended_ticket(id).await?;
    expect::error(
        &gone,
        404,
        "RecordNotFound",
        "the recovered suspended ticket",
    )
}

async fn recover_many_max_100(ctx: &mut Ctx) -> Outcome {
    let ids: Vec<i64> = (0..101).map(|n| 9_000_000_000_000_000 + n).collect();
    let reply = ctx
        .client
        .send(
            Method::PUT,
            "suspended_tickets/recover_many",
            &[("ids", join_ids(&ids))],
            Some(json!({})),
        )
        .await?;
    expect::status(&reply, 422, "recover_many with 101 ids")
}
