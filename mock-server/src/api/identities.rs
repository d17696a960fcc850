//! User Identities — <https://developer.zendesk.com/api-reference/ticketing/users/user_identities/>
//! (facts §3.5). Agents use `/users/{id}/identities`; end users the `/end_users/...` paths.

use crate::error::{ApiError, ApiResult};
use crate::http::AppState;
use crate::http::context::Authed;
use crate::http::extract::{Body, Ids, Params};
use crate::http::pagination::Style;
use crate::http::respond::{created, ok};
use crate::store::identities::{IdentityPatch, IdentityType, NewIdentity};
use crate::views;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use serde::Deserialize;
use serde_json::json;

pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for base in [
        "/api/v2/users/{user_id}/identities",
        "/api/v2/end_users/{user_id}/identities",
    ] {
        router = router
            .route(base, get(list_identities).post(create_identity))
            .route(
                &format!("{base}/{{id}}"),
                get(show_identity)
                    .put(update_identity)
                    .delete(delete_identity),
            )
            .route(
                &format!("{base}/{{id}}/make_primary"),
                put(make_identity_primary),
            )
            .route(&format!("{base}/{{id}}/verify"), put(verify_identity))
            .route(
                &format!("{base}/{{id}}/request_verification"),
                put(request_user_verification),
            );
    }
    router
}

#[derive(Debug, Deserialize)]
struct CreateBody {
    identity: Option<NewIdentity>,
}

#[derive(Debug, Deserialize)]
struct UpdateBody {
    identity: Option<IdentityPatch>,
}

/// Renders one identity as `{"identity": {...}}`.
fn one(authed: &Authed, user_id: i64, id: i64) -> ApiResult<serde_json::Value> {
    authed.account.read(|data| {
        let identity = data.identity(&authed.caller, user_id, id)?;
        Ok(json!({"identity": views::identities::identity(identity, &authed.origin)}))
    })
}

/// GET /api/v2/users/{user_id}/identities — List Identities (`type[]` filter; cursor only).
async fn list_identities(
    authed: Authed,
    Ids([user_id]): Ids<1>,
    params: Params,
) -> ApiResult<Response> {
    let types = params
        .all("type")
        .iter()
        .map(|t| IdentityType::parse(t))
        .collect::<ApiResult<Vec<_>>>()?;
    authed.account.read(|data| {
        let identities = data.identities_of(&authed.caller, user_id, &types)?;
        let body = authed.id_page(
            &params,
            Style::CursorOnly,
            "identities",
            identities,
            |i| i.id,
            |i| views::identities::identity(i, &authed.origin),
        )?;
        Ok(ok(body))
    })
}

/// GET /api/v2/users/{user_id}/identities/{id} — Show Identity.
async fn show_identity(authed: Authed, Ids([user_id, id]): Ids<2>) -> ApiResult<Response> {
    one(&authed, user_id, id).map(ok)
}

/// POST /api/v2/users/{user_id}/identities — Create Identity: 201; a value another user holds is 422.
async fn create_identity(
    authed: Authed,
    Ids([user_id]): Ids<1>,
    Body(body): Body<CreateBody>,
) -> ApiResult<Response> {
    let new = body
        .identity
        .ok_or_else(|| ApiError::parameter_missing("identity"))?;
    let id = authed
        .account
        .write(|data| data.create_identity(&authed.caller, user_id, new))?;
    let location = views::api_url(&authed.origin, &format!("users/{user_id}/identities/{id}"));
    Ok(created(one(&authed, user_id, id)?, &location))
}

/// PUT /api/v2/users/{user_id}/identities/{id} — Update Identity (`value`, `verified`; not `primary`).
async fn update_identity(
    authed: Authed,
    Ids([user_id, id]): Ids<2>,
    Body(body): Body<UpdateBody>,
) -> ApiResult<Response> {
    let patch = body
        .identity
        .ok_or_else(|| ApiError::parameter_missing("identity"))?;
    authed
        .account
        .write(|data| data.update_identity(&authed.caller, user_id, id, &patch))?;
    one(&authed, user_id, id).map(ok)
}

/// DELETE /api/v2/users/{user_id}/identities/{id} — Delete Identity: 204.
async fn delete_identity(authed: Authed, Ids([user_id, id]): Ids<2>) -> ApiResult<Response> {
    authed
        .account
        .write(|data| data.delete_identity(&authed.caller, user_id, id))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// PUT .../identities/{id}/make_primary — Make Identity Primary: 200 with the whole list.
async fn make_identity_primary(authed: Authed, Ids([user_id, id]): Ids<2>) -> ApiResult<Response> {
    authed.account.write(|data| {
        data.make_primary(&authed.caller, user_id, id)?;
        let identities = data.identities_of(&authed.caller, user_id, &[])?;
        let items: Vec<_> = identities
            .iter()
            .map(|i| views::identities::identity(i, &authed.origin))
            .collect();
        Ok(ok(json!({"identities": items})))
    })
}

/// PUT .../identities/{id}/verify — Verify Identity.
async fn verify_identity(authed: Authed, Ids([user_id, id]): Ids<2>) -> ApiResult<Response> {
    authed
        .account
        .write(|data| data.verify_identity(&authed.caller, user_id, id))?;
    one(&authed, user_id, id).map(ok)
}

/// PUT .../identities/{id}/request_verification — Request User Verification: 200, empty body.
async fn request_user_verification(
    authed: Authed,
    Ids([user_id, id]): Ids<2>,
) -> ApiResult<Response> {
    authed
        .account
        .write(|data| data.request_verification(&authed.caller, user_id, id))?;
    Ok(StatusCode::OK.into_response())
}
