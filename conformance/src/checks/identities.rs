//! User identities (facts §3.5).

use super::expect::{self, Outcome};
use super::{Check, Ctx, Person, check};
use serde_json::{Value, json};

/// The checks of this area.
pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "identities.create.duplicate_value_422",
            Recorded,
            "facts §2, §3.5 [ZD2 create_user_identity.rb; user_identities_spec]",
            "Adding an email identity another user holds is 422 RecordInvalid: \
             `Value: <v> is already being used by another user`.",
            duplicate_value_422
        ),
        check!(
            "identities.delete.returns_204_then_404",
            Recorded,
            "facts §3.5 [RB-live identity_spec it_should_be_deletable]",
            "DELETE /users/{id}/identities/{id} answers 204; the identity is then 404.",
            delete_then_404
        ),
        check!(
            "identities.delete_primary.no_auto_promotion",
            Recorded,
            "facts §3.5 [ZD2 spec, run live]",
            "Deleting the primary identity succeeds and the remaining identity stays \
             non-primary.",
            delete_primary_no_promotion
        ),
        check!(
            "identities.make_primary.exactly_one_primary",
            Documented,
            "https://developer.zendesk.com/api-reference/ticketing/users/user_identities/#make-identity-primary (facts §3.5)",
            "make_primary answers 200 with the whole list, in which exactly the chosen \
             identity is primary.",
            make_primary_exactly_one
        ),
        check!(
            "identities.update.primary_not_writable",
            Documented,
            "https://developer.zendesk.com/api-reference/ticketing/users/user_identities/#update-identity (facts §3.5)",
            "PUT on an identity cannot make it primary.",
            primary_not_writable
        ),
    ]
}

/// An end user with a second, non-primary email identity; returns the user and its id.
async fn with_second_email(ctx: &mut Ctx) -> Outcome<(Person, i64, String)> {
    let user = ctx.end_user().await?;
    let value = ctx.email("secondary");
    let reply = ctx
        .client
        .create_identity(user.id, json!({"type": "email", "value": value}))
        .await?;
    expect::status(&reply, 201, "add a second email identity")?;
    let id = reply.require_id("/identity/id")?;
    Ok((user, id, value))
}

/// The user's identities as `(id, primary)`.
async fn identities(ctx: &Ctx, user: i64) -> Outcome<(Vec<(i64, bool)>, crate::Reply)> {
    let reply = ctx.client.list_identities(user, &[]).await?;
    expect::status(&reply, 200, "list identities")?;
    let list = reply
        .at("/identities")
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| (i["id"].as_i64().unwrap_or(0), i["primary"] == true))
        .collect();
    Ok((list, reply))
}

fn primary_of(identities: &Value) -> Option<i64> {
    identities
        .as_array()?
        .iter()
        .find(|i| i["primary"] == true)
        .and_then(|i| i["id"].as_i64())
}

async fn duplicate_value_422(ctx: &mut Ctx) -> Outcome {
    let holder = ctx.end_user().await?;
    let other = ctx.end_user().await?;
    let reply = ctx
        .client
        .create_identity(other.id, json!({"type": "email", "value": holder.email}))
        .await?;
    expect::record_invalid(
        &reply,
        "value",
        &format!(
            "Value: {} is already being used by another user",
            holder.email
        ),
        "add another user's email as an identity",
    )
}

async fn delete_then_404(ctx: &mut Ctx) -> Outcome {
    let (user, second, _) = with_second_email(ctx).await?;
    let reply = ctx.client.delete_identity(user.id, second).await?;
    expect::status(&reply, 204, "delete the identity")?;
    let shown = ctx.client.show_identity(user.id, second).await?;
    expect::error(&shown, 404, "RecordNotFound", "show the deleted identity")
}

async fn delete_primary_no_promotion(ctx: &mut Ctx) -> Outcome {
    let (user, second, _) = with_second_email(ctx).await?;
    let (before, listed) = identities(ctx, user.id).await?;
    let primary = before.iter().find(|(_, p)| *p).map(|(id, _)| *id);
    let primary = super::context::need(primary, "a primary identity")
        .map_err(|f| expect::mismatch(&f.0, &listed))?;
    let reply = ctx.client.delete_identity(user.id, primary).await?;
    expect::status(&reply, 204, "delete the primary identity")?;
    let (after, listed) = identities(ctx, user.id).await?;
    expect::that(
        after == vec![(second, false)],
        &format!("only identity {second}, still non-primary, got {after:?}"),
        &listed,
    )
}

async fn make_primary_exactly_one(ctx: &mut Ctx) -> Outcome {
    let (user, second, _) = with_second_email(ctx).await?;
    let reply = ctx.client.make_identity_primary(user.id, second).await?;
    expect::status(&reply, 200, "make the second identity primary")?;
    let primaries = reply
        .at("/identities")
        .as_array()
        .map(|l| l.iter().filter(|i| i["primary"] == true).count());
    expect::that(
        primaries == Some(1) && primary_of(reply.at("/identities")) == Some(second),
        &format!("a list in which only identity {second} is primary"),
        &reply,
    )
}

async fn primary_not_writable(ctx: &mut Ctx) -> Outcome {
    let (user, second, _) = with_second_email(ctx).await?;
    let reply = ctx
        .client
        .update_identity(user.id, second, json!({"primary": true}))
        .await?;
    expect::that(
        reply.status == 200 || (400..500).contains(&reply.status),
        "200 (primary ignored) or a refusal",
        &reply,
    )?;
    let shown = ctx.client.show_identity(user.id, second).await?;
    expect::field(
        &shown,
        "/identity/primary",
        false,
        "the identity after PUT primary:true",
    )
}
