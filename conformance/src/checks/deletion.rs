//! Deleting users: soft delete, the closed-ticket guard, the owner, permanent delete and the
//! placeholder (facts §3.4, §13; design.md "Decisions").

use super::expect::{self, Outcome};
use super::{Check, Ctx, check};
use crate::client::Reply;
use serde_json::json;

const GUARD: &str = "https://support.zendesk.com/hc/en-us/articles/4408821737498 (facts §3.4)";

/// The checks of this area.
pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "users.delete.soft_returns_inactive_user",
            Recorded,
            "facts §3.4 [REC test_single_object_deletion; RB-live user_spec]",
            "DELETE /users/{id} answers 200 with the user and active:false; GET /users/{id} \
             still returns it, active:false.",
            soft_returns_inactive_user
        ),
        check!(
            "users.delete.guard_unclosed_requested_tickets",
            Documented,
            GUARD,
            "An end user who is requester on a ticket that is not closed cannot be deleted; \
             they stay active.",
            guard_unclosed_requested_tickets
        ),
        check!(
            "users.delete.guard_error_body",
            Inferred,
            "facts §13.1 [ZD2 destroy_user.rb wording; status INFERRED]",
            "The guard's refusal is 422 RecordInvalid with details.base[0].description \
             `User is requester on N ticket(s) that are not closed.`",
            guard_error_body
        ),
        check!(
            "users.delete.guard_counts_solved_as_unclosed",
            Documented,
            "https://support.zendesk.com/hc/en-us/articles/4408821737498 (facts §3.4; ethyca/fides PR #5429)",
            "A solved ticket is not closed: its requester cannot be deleted either.",
            guard_counts_solved
        ),
        check!(
            "users.delete.guard_ignores_closed_tickets",
            Documented,
            GUARD,
            "A requester whose tickets are all closed can be deleted.",
            guard_ignores_closed
        ),
        check!(
            "users.delete.guard_ignores_soft_deleted_tickets",
            Inferred,
            "design.md \"Decisions\" (soft-deleted tickets do not count)",
            "A ticket in the Deleted Tickets view does not hold its requester back.",
            guard_ignores_soft_deleted
        ),
        check!(
            "users.delete.owner_forbidden",
            Inferred,
            "facts §3.4, §13.3 [OAS DeleteUser; HC:4408821737498; 403 INFERRED]",
            "The account owner cannot be deleted: 403 Forbidden, and the owner stays active.",
            owner_forbidden,
            control
        ),
        check!(
            "users.delete.agent_cannot_delete_staff",
            Inferred,
            "design.md \"Decisions\" (agents may delete end users only; facts §3.4 who may delete)",
            "An agent deleting another agent is 403 Forbidden.",
            agent_cannot_delete_staff
        ),
        check!(
            "users.soft_delete.frees_identities",
            Inferred,
            "facts §3.4 email and phone [ZD2 spec run live; INFERRED]",
            "Once a user is soft-deleted, another user can be created with the same email.",
            soft_delete_frees_identities
        ),
        check!(
            "users.soft_delete.listed_in_deleted_users",
            Documented,
            "https://developer.zendesk.com/api-reference/ticketing/users/users/#show-deleted-user (facts §3.4)",
            "A soft-deleted user is shown by GET /deleted_users/{id} with active:false, and \
             listed by GET /deleted_users.",
            listed_in_deleted_users
        ),
        check!(
            "users.permanent_delete.requires_soft_delete",
            Inferred,
            "facts §3.4, §13.2 [OAS: must be soft-deleted first; 404 INFERRED]",
            "DELETE /deleted_users/{id} of an active user is 404 RecordNotFound; the user \
             stays active.",
            permanent_requires_soft_delete
        ),
        check!(
            "users.permanent_delete.leaves_placeholder",
            Documented,
            "https://developer.zendesk.com/api-reference/ticketing/users/users/#permanently-delete-user (facts §3.4)",
            "After a permanent delete the user stays in /deleted_users as \"Permanently \
             Deleted User\" with email and phone null.",
            permanent_leaves_placeholder
        ),
        check!(
            "users.permanent_delete.show_user_404",
            Inferred,
            "design.md \"Decisions\"",
            "After a permanent delete, GET /users/{id} is 404 RecordNotFound.",
            permanent_show_user_404
        ),
    ]
}

/// Soft-deletes `id` and expects 200.
async fn soft_delete(ctx: &Ctx, id: i64, what: &str) -> Outcome<Reply> {
    let reply = ctx.client.delete_user(id).await?;
    expect::status(&reply, 200, what)?;
    Ok(reply)
}

/// Expects the user to be active still (a refused delete changed nothing).
async fn still_active(ctx: &Ctx, id: i64, what: &str) -> Outcome {
    let shown = ctx.client.show_user(id).await?;
    expect::status(&shown, 200, what)?;
    expect::field(&shown, "/user/active", true, what)
}

async fn soft_returns_inactive_user(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let reply = soft_delete(ctx, user.id, "soft delete").await?;
    expect::field(&reply, "/user/id", user.id, "soft delete")?;
    expect::field(&reply, "/user/active", false, "soft delete")?;
    let shown = ctx.client.show_user(user.id).await?;
    expect::status(&shown, 200, "show the soft-deleted user")?;
    expect::field(&shown, "/user/active", false, "show the soft-deleted user")?;
    expect::field(
        &shown,
        "/user/name",
        user.name.as_str(),
        "show the soft-deleted user",
    )
}

/// Deletes a requester of a ticket in `status` and expects a refusal.
async fn refused_with_ticket(ctx: &mut Ctx, status: &str) -> Outcome<Reply> {
    let user = ctx.end_user().await?;
    ctx.ticket(user.id, status, "Guarded ticket").await?;
    let reply = ctx.client.delete_user(user.id).await?;
    expect::that(
        (400..500).contains(&reply.status),
        &format!("a refusal (4xx) to delete the requester of a {status} ticket"),
        &reply,
    )?;
    still_active(ctx, user.id, "the refused user is still active").await?;
    Ok(reply)
}

async fn guard_unclosed_requested_tickets(ctx: &mut Ctx) -> Outcome {
    refused_with_ticket(ctx, "open").await.map(|_| ())
}

async fn guard_error_body(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    ctx.ticket(user.id, "open", "One").await?;
    ctx.ticket(user.id, "pending", "Two").await?;
    let reply = ctx.client.delete_user(user.id).await?;
    expect::record_invalid(
        &reply,
        "base",
        "User is requester on 2 ticket(s) that are not closed.",
        "delete a requester of two unclosed tickets",
    )
}

async fn guard_counts_solved(ctx: &mut Ctx) -> Outcome {
    refused_with_ticket(ctx, "solved").await.map(|_| ())
}

async fn guard_ignores_closed(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    ctx.ticket(user.id, "closed", "Closed ticket").await?;
    let reply = soft_delete(ctx, user.id, "delete a requester of closed tickets only").await?;
    expect::field(
        &reply,
        "/user/active",
        false,
        "delete a requester of closed tickets",
    )
}

async fn guard_ignores_soft_deleted(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let ticket = ctx.ticket(user.id, "open", "Deleted ticket").await?;
    let deleted = ctx.client.delete_ticket(ticket.id).await?;
    expect::status(&deleted, 204, "soft-delete the open ticket")?;
    soft_delete(
        ctx,
        user.id,
        "delete a requester whose open ticket is deleted",
    )
    .await?;
    Ok(())
}

async fn owner_forbidden(ctx: &mut Ctx) -> Outcome {
    // With control, the client's account is a fresh one whose admin is its owner.
    let me = ctx.client.me().await?;
    let owner = me.require_id("/user/id")?;
    let reply = ctx.client.delete_user(owner).await?;
    expect::error(&reply, 403, "Forbidden", "delete the account owner")?;
    still_active(ctx, owner, "the owner is still active").await
}

async fn agent_cannot_delete_staff(ctx: &mut Ctx) -> Outcome {
    let actor = ctx.agent().await?;
    let target = ctx.agent().await?;
    let reply = ctx.as_person(&actor).delete_user(target.id).await?;
    expect::error(&reply, 403, "Forbidden", "an agent deletes another agent")?;
    still_active(ctx, target.id, "the other agent is still active").await
}

async fn soft_delete_frees_identities(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    soft_delete(ctx, user.id, "soft delete").await?;
    let reply = ctx
        .client
        .create_user(json!({"name": "Successor", "email": user.email}))
        .await?;
    if let Some(id) = reply.id_at("/user/id") {
        ctx.adopt_user(id);
    }
    expect::status(&reply, 201, "create a user with the deleted user's email")?;
    expect::field(
        &reply,
        "/user/email",
        user.email.as_str(),
        "the new user holds the email",
    )
}

async fn listed_in_deleted_users(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    soft_delete(ctx, user.id, "soft delete").await?;
    let shown = ctx.client.show_deleted_user(user.id).await?;
    expect::status(&shown, 200, "show the deleted user")?;
    expect::field(&shown, "/deleted_user/id", user.id, "show the deleted user")?;
    expect::field(
        &shown,
        "/deleted_user/active",
        false,
        "show the deleted user",
    )?;
    let pages = ctx
        .client
        .collect_pages(
            "deleted_users",
            &[("page[size]", "100".to_owned())],
            "deleted_users",
            100,
        )
        .await?;
    let listed = pages.items.iter().any(|u| u["id"] == user.id);
    let last = pages.replies.last().expect("at least one page");
    expect::that(
        listed,
        &format!("user {} in GET /deleted_users", user.id),
        last,
    )
}

async fn permanent_requires_soft_delete(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let reply = ctx.client.permanently_delete_user(user.id).await?;
    expect::error(
        &reply,
        404,
        "RecordNotFound",
        "permanently delete an active user",
    )?;
    still_active(ctx, user.id, "the user is still active").await
}

/// Soft-deletes and then permanently deletes a fresh end user; returns it.
async fn erased_user(ctx: &mut Ctx) -> Outcome<super::Person> {
    let user = ctx.end_user().await?;
    soft_delete(ctx, user.id, "soft delete").await?;
    let reply = ctx.client.permanently_delete_user(user.id).await?;
    expect::status(&reply, 200, "permanently delete the soft-deleted user")?;
    expect::field(&reply, "/deleted_user/id", user.id, "permanent delete")?;
    Ok(user)
}

async fn permanent_leaves_placeholder(ctx: &mut Ctx) -> Outcome {
    let user = erased_user(ctx).await?;
    let shown = ctx.client.show_deleted_user(user.id).await?;
    let what = "the placeholder in /deleted_users";
    expect::status(&shown, 200, what)?;
    expect::field(
        &shown,
        "/deleted_user/name",
        "Permanently Deleted User",
        what,
    )?;
    expect::field(&shown, "/deleted_user/email", json!(null), what)?;
    expect::field(&shown, "/deleted_user/phone", json!(null), what)
}

async fn permanent_show_user_404(ctx: &mut Ctx) -> Outcome {
    let user = erased_user(ctx).await?;
    let shown = ctx.client.show_user(user.id).await?;
    expect::error(
        &shown,
        404,
        "RecordNotFound",
        "show a permanently deleted user",
    )
}
