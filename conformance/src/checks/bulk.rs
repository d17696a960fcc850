//! Bulk calls: the 100-item limits and their TooManyValues bodies, and jobs (facts §2, §3.3,
//! §4.2, §6).

use super::expect::{self, Outcome};
use super::{Check, Ctx, check};
use crate::client::{Reply, join_ids};
use reqwest::Method;
use serde_json::{Value, json};

/// The checks of this area.
pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "bulk.ids.max_100",
            Documented,
            "facts §3.3, §4.2, §4.3 [OAS: at most 100 ids]; body facts §2 [REC]",
            "Every ids= bulk endpoint refuses 101 ids with 400 TooManyValues, before doing \
             anything.",
            ids_max_100
        ),
        check!(
            "bulk.tickets.create_many_max_100_body",
            Recorded,
            "facts §2 [REC test_multiple_delete_raises_toomanyvaluesexception]",
            "tickets/create_many with 101 tickets is 400 {\"error\":\"TooManyValues\",\
             \"description\":\"Parameter  cannot specify more than 100 values\",\"max_count\":100}.",
            tickets_create_many_max_100
        ),
        check!(
            "bulk.users.create_many_max_100_body",
            Recorded,
            "facts §2 [REC test_raises_toomanyvaluesexception_create]",
            "users/create_many with 101 users is 400 TooManyValues \"Maximum 100 users may be \
             created per call\".",
            users_create_many_max_100
        ),
        check!(
            "bulk.users.destroy_many_admin_only",
            Documented,
            "https://developer.zendesk.com/api-reference/ticketing/users/users/#bulk-delete-users (facts §3.3)",
            "Only admins may bulk-delete users: an agent gets 403 and nobody is deleted.",
            destroy_many_admin_only
        ),
        check!(
            "jobs.destroy_many.queued_then_completed",
            Recorded,
            "facts §3.3, §6 [REC queued job_status; OAS JobStatusBulkDeleteResponseExample]",
            "users/destroy_many answers 200 with a queued job (string id, url ending .json); \
             it completes with a Deleted result per user.",
            destroy_many_queued_then_completed
        ),
        check!(
            "jobs.destroy_many.guard_fails_item",
            Inferred,
            "facts §3.3 destroy_many (per-user failures as failed items, INFERRED)",
            "In users/destroy_many, a user the guard protects is a failed result item \
             (success:false) and stays active; the others are deleted.",
            destroy_many_guard_fails_item
        ),
        check!(
            "jobs.update_many.applies_change",
            Documented,
            "facts §4.2, §6 [OAS TicketsUpdateRequest; JobStatusResponseExample]",
            "tickets/update_many?ids= applies the change to every ticket; each result reads \
             action:update, status:Updated, success:true.",
            update_many_applies_change
        ),
    ]
}

/// 101 ids: more than any bulk call takes. Far above any real ticket number (Zendesk's ticket
/// ids are small and sequential), so a server that ignored the limit would still touch nothing.
fn too_many() -> String {
    join_ids(
        &(0..101)
            .map(|n| 9_000_000_000_000_000 + n)
            .collect::<Vec<i64>>(),
    )
}

/// When a server took an over-limit create anyway, waits for its job and hands what it made
/// to clean-up.
async fn adopt_created(ctx: &mut Ctx, reply: &Reply, tickets: bool) {
    if reply.status != 200 {
        return;
    }
    let Ok(job) = ctx.job(reply).await else {
        return;
    };
    let ids: Vec<i64> = job["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_i64())
        .collect();
    for id in ids {
        if tickets {
            ctx.adopt_ticket(id);
        } else {
            ctx.adopt_user(id);
        }
    }
}

fn expect_too_many(reply: &Reply, what: &str) -> Outcome {
    expect::error(reply, 400, "TooManyValues", what)
}

async fn ids_max_100(ctx: &mut Ctx) -> Outcome {
    let calls = [
        (Method::GET, "users/show_many"),
        (Method::GET, "tickets/show_many"),
        (Method::DELETE, "users/destroy_many"),
        (Method::DELETE, "tickets/destroy_many"),
        (Method::PUT, "deleted_tickets/restore_many"),
        (Method::DELETE, "deleted_tickets/destroy_many"),
        (Method::DELETE, "suspended_tickets/destroy_many"),
    ];
    for (method, path) in calls {
        let body = (method == Method::PUT).then(|| json!({}));
        let reply = ctx
            .client
            .send(method.clone(), path, &[("ids", too_many())], body)
            .await?;
        expect_too_many(&reply, &format!("{method} {path} with 101 ids"))?;
    }
    Ok(())
}

async fn tickets_create_many_max_100(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let tickets: Vec<Value> = (0..101)
        .map(|n| json!({"subject": format!("Over the limit {n}"), "comment": {"body": "x"}, "requester_id": user.id}))
        .collect();
    let reply = ctx.client.create_many_tickets(tickets).await?;
    adopt_created(ctx, &reply, true).await;
    let what = "create_many with 101 tickets";
    expect_too_many(&reply, what)?;
    expect::field(
        &reply,
        "/description",
        "Parameter  cannot specify more than 100 values",
        what,
    )?;
    expect::field(&reply, "/max_count", 100, what)
}

async fn users_create_many_max_100(ctx: &mut Ctx) -> Outcome {
    let mut users = Vec::new();
    for n in 0..101 {
        users.push(json!({"name": format!("Over the limit {n}"), "email": ctx.email("over")}));
    }
    let reply = ctx.client.create_many_users(users).await?;
    adopt_created(ctx, &reply, false).await;
    let what = "users/create_many with 101 users";
    expect_too_many(&reply, what)?;
    expect::field(
        &reply,
        "/description",
        "Maximum 100 users may be created per call",
        what,
    )
}

async fn destroy_many_admin_only(ctx: &mut Ctx) -> Outcome {
    let agent = ctx.agent().await?;
    let victim = ctx.end_user().await?;
    let reply = ctx
        .as_person(&agent)
        .destroy_many_users(&[victim.id])
        .await?;
    expect::error(&reply, 403, "Forbidden", "an agent bulk-deletes users")?;
    let shown = ctx.client.show_user(victim.id).await?;
    expect::field(&shown, "/user/active", true, "the user is still active")
}

/// The results of a finished job, by `id`.
fn result_for(job: &Value, id: i64) -> Option<&Value> {
    job["results"].as_array()?.iter().find(|r| r["id"] == id)
}

async fn destroy_many_queued_then_completed(ctx: &mut Ctx) -> Outcome {
    let a = ctx.end_user().await?;
    let b = ctx.end_user().await?;
    let reply = ctx.client.destroy_many_users(&[a.id, b.id]).await?;
    let what = "users/destroy_many";
    expect::status(&reply, 200, what)?;
    expect::field(&reply, "/job_status/status", "queued", what)?;
    let id = reply.at("/job_status/id").as_str().unwrap_or("").to_owned();
    let url = reply.at("/job_status/url").as_str().unwrap_or("");
    expect::that(
        !id.is_empty() && url.ends_with(&format!("/api/v2/job_statuses/{id}.json")),
        "a string job id and a url ending /api/v2/job_statuses/{id}.json",
        &reply,
    )?;
    let job = ctx.job(&reply).await?;
    expect::equal(
        &job["status"],
        &json!("completed"),
        "the job's final status",
    )?;
    for user in [a.id, b.id] {
        let result = result_for(&job, user).cloned().unwrap_or(Value::Null);
        let expected =
            json!({"id": user, "action": "delete", "status": "Deleted", "success": true});
        expect::equal(
            &result,
            &expected,
            &format!("the job's result for user {user}"),
        )?;
        let shown = ctx.client.show_user(user).await?;
        expect::field(&shown, "/user/active", false, "a bulk-deleted user")?;
    }
    Ok(())
}

async fn destroy_many_guard_fails_item(ctx: &mut Ctx) -> Outcome {
    let guarded = ctx.end_user().await?;
    let free = ctx.end_user().await?;
    ctx.ticket(guarded.id, "open", "Holds the requester")
        .await?;
    let reply = ctx
        .client
        .destroy_many_users(&[guarded.id, free.id])
        .await?;
    let job = ctx.job(&reply).await?;
    let failed = result_for(&job, guarded.id).cloned().unwrap_or(Value::Null);
    expect::equal(
        &failed["success"],
        &json!(false),
        "the guarded user's result item",
    )?;
    let deleted = result_for(&job, free.id).cloned().unwrap_or(Value::Null);
    expect::equal(
        &deleted["status"],
        &json!("Deleted"),
        "the free user's result item",
    )?;
    let shown = ctx.client.show_user(guarded.id).await?;
    expect::field(
        &shown,
        "/user/active",
        true,
        "the guarded user after the job",
    )
}

async fn update_many_applies_change(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let a = ctx.ticket(user.id, "open", "First").await?;
    let b = ctx.ticket(user.id, "open", "Second").await?;
    let reply = ctx
        .client
        .update_many_tickets(&[a.id, b.id], json!({"status": "pending"}))
        .await?;
    let job = ctx.job(&reply).await?;
    expect::equal(
        &job["status"],
        &json!("completed"),
        "the job's final status",
    )?;
    for id in [a.id, b.id] {
        let result = result_for(&job, id).cloned().unwrap_or(Value::Null);
        let expected = json!({"id": id, "action": "update", "status": "Updated", "success": true});
        expect::equal(
            &result,
            &expected,
            &format!("the job's result for ticket {id}"),
        )?;
        let shown = ctx.client.show_ticket(id).await?;
        expect::field(&shown, "/ticket/status", "pending", "a bulk-updated ticket")?;
    }
    Ok(())
}
