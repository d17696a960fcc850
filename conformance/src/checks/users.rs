//! Users: create, show, update, suspend, views (facts §3.1–3.3, §3.5, §3.6).

use super::expect::{self, Outcome};
use super::{Check, Ctx, check};
use serde_json::json;

/// The checks of this area.
pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "users.create.returns_201_with_location",
            Documented,
            "https://developer.zendesk.com/api-reference/introduction/requests/ (facts §1, §3.3)",
            "POST /users answers 201 with the user and a Location header naming it.",
            create_returns_201_with_location
        ),
        check!(
            "users.create.duplicate_email_422",
            Recorded,
            "facts §2 [ZD2 users_spec, run live]",
            "Creating a user with an email another user holds is 422 RecordInvalid: \
             `Email: <addr> is already being used by another user`.",
            duplicate_email_422
        ),
        check!(
            "users.show.unknown_id_404",
            Recorded,
            "facts §2 [REC TestUserCreateUpdateDelete *recordnotfound*]",
            "GET /users/{id} of an id that names no user is 404 \
             {\"error\":\"RecordNotFound\",\"description\":\"Not found\"}.",
            unknown_id_404
        ),
        check!(
            "users.update.email_adds_secondary_identity",
            Recorded,
            "facts §3.5 rectification [ZD2 users_spec, run live; zendesk_api_client_rb#261]",
            "PUT /users/{id} with a new email adds a non-primary identity; user.email stays \
             the primary; repeating the call adds nothing.",
            email_adds_secondary_identity
        ),
        check!(
            "users.suspend.sets_suspended",
            Documented,
            "facts §3.6 [OAS UserForAdmin.suspended; RB-olddocs users.md]",
            "PUT /users/{id} {\"suspended\":true} answers 200 with suspended:true, and the \
             user reads back suspended.",
            suspend_sets_suspended
        ),
        check!(
            "users.create_or_update.matches_by_email",
            Documented,
            "https://developer.zendesk.com/api-reference/ticketing/users/users/#create-or-update-user (facts §3.3)",
            "POST /users/create_or_update answers 201 for a new email and 200 (same id) for \
             an existing one.",
            create_or_update_matches_by_email
        ),
        check!(
            "users.end_user_view.reduced_fields",
            Documented,
            "facts §3.2 [OAS UserForEndUser]",
            "An end user reading their own record gets the end-user view: none of the \
             agent-only fields (notes, tags, role_type, …).",
            end_user_view_reduced_fields
        ),
    ]
}

async fn create_returns_201_with_location(ctx: &mut Ctx) -> Outcome {
    let email = ctx.email("located");
    let reply = ctx
        .client
        .create_user(json!({"name": "Located User", "email": email}))
        .await?;
    expect::status(&reply, 201, "create user")?;
    let id = reply.require_id("/user/id")?;
    ctx.adopt_user(id);
    let location = reply.header("location").unwrap_or("");
    expect::that(
        location.contains(&format!("/api/v2/users/{id}")),
        &format!("a Location header naming /api/v2/users/{id}, got `{location}`"),
        &reply,
    )?;
    expect::field(&reply, "/user/email", email.as_str(), "create user")
}

async fn duplicate_email_422(ctx: &mut Ctx) -> Outcome {
    let first = ctx.end_user().await?;
    let reply = ctx
        .client
        .create_user(json!({"name": "Second Holder", "email": first.email}))
        .await?;
    if let Some(id) = reply.id_at("/user/id") {
        ctx.adopt_user(id);
    }
    expect::record_invalid(
        &reply,
        "email",
        &format!(
            "Email: {} is already being used by another user",
            first.email
        ),
        "create a user with a taken email",
    )
}

async fn unknown_id_404(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    // Far above any id the account has issued: never a user.
    let unknown = user.id + 7_000_000_000_000;
    let reply = ctx.client.show_user(unknown).await?;
    expect::error(&reply, 404, "RecordNotFound", "show an unknown user")?;
    expect::field(&reply, "/description", "Not found", "show an unknown user")
}

async fn email_adds_secondary_identity(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let second = ctx.email("second");
    for round in ["first update", "repeated update"] {
        let reply = ctx
            .client
            .update_user(user.id, json!({"email": second}))
            .await?;
        expect::status(&reply, 200, round)?;
        expect::field(&reply, "/user/email", user.email.as_str(), round)?;
    }
    let identities = ctx.client.list_identities(user.id, &[]).await?;
    expect::status(&identities, 200, "list identities")?;
    let emails: Vec<(String, bool)> = identities
        .at("/identities")
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["type"] == "email")
        .map(|i| {
            (
                i["value"].as_str().unwrap_or("").to_owned(),
                i["primary"] == true,
            )
        })
        .collect();
    let expected = vec![(user.email.clone(), true), (second.clone(), false)];
    let mut sorted = emails.clone();
    sorted.sort_by_key(|(_, primary)| !primary);
    expect::that(
        sorted == expected,
        &format!(
            "email identities {expected:?} (old primary, new secondary, once), got {emails:?}"
        ),
        &identities,
    )
}

async fn suspend_sets_suspended(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let reply = ctx
        .client
        .update_user(user.id, json!({"suspended": true}))
        .await?;
    expect::status(&reply, 200, "suspend")?;
    expect::field(&reply, "/user/suspended", true, "suspend")?;
    let shown = ctx.client.show_user(user.id).await?;
    expect::field(
        &shown,
        "/user/suspended",
        true,
        "the suspended user read back",
    )
}

async fn create_or_update_matches_by_email(ctx: &mut Ctx) -> Outcome {
    let email = ctx.email("upsert");
    let created = ctx
        .client
        .create_or_update_user(json!({"name": "Upsert One", "email": email}))
        .await?;
    expect::status(&created, 201, "create_or_update of a new email")?;
    let id = created.require_id("/user/id")?;
    ctx.adopt_user(id);
    let updated = ctx
        .client
        .create_or_update_user(json!({"name": "Upsert Two", "email": email}))
        .await?;
    expect::status(&updated, 200, "create_or_update of an existing email")?;
    expect::field(
        &updated,
        "/user/id",
        id,
        "create_or_update matches the user",
    )?;
    expect::field(
        &updated,
        "/user/name",
        "Upsert Two",
        "create_or_update applies the change",
    )
}

async fn end_user_view_reduced_fields(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let reply = ctx.as_person(&user).me().await?;
    expect::status(&reply, 200, "an end user reads /users/me")?;
    expect::field(&reply, "/user/id", user.id, "an end user reads /users/me")?;
    let staff_only = [
        "notes",
        "tags",
        "role_type",
        "details",
        "ticket_restriction",
        "suspended",
    ];
    let shown: Vec<&str> = staff_only
        .iter()
        .copied()
        .filter(|key| reply.at("/user").get(*key).is_some())
        .collect();
    expect::that(
        shown.is_empty(),
        &format!("no agent-only fields in the end-user view, found {shown:?}"),
        &reply,
    )
}
