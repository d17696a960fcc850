//! Users — <https://developer.zendesk.com/api-reference/ticketing/users/users/> (facts §3.3).

use crate::error::{ApiError, ApiResult};
use crate::http::AppState;
use crate::http::context::{Authed, Viewer};
use crate::http::extract::{Body, Ids, Params};
use crate::http::pagination::{PageRequest, Style, paginate};
use crate::http::respond::{
    Keyed, Listed, created, list, ok, ok_typed, unpermitted, warn_unpermitted,
};
use crate::store::jobs::{self, JobWork, UserRef};
use crate::store::user_queries::UserFilter;
use crate::store::users::{Role, Upsert, User, UserInput};
use crate::store::{AccountData, Caller};
use crate::views;
use crate::views::users::for_caller;
use axum::Router;
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/users", get(list_users).post(create_user))
        .route("/api/v2/users/me", get(show_me))
        .route("/api/v2/users/show_many", get(show_many_users))
        .route("/api/v2/users/count", get(count_users))
        .route("/api/v2/users/search", get(search_users))
        .route("/api/v2/users/autocomplete", get(autocomplete_users))
        .route(
            "/api/v2/users/create_or_update",
            post(create_or_update_user),
        )
        .route("/api/v2/users/create_many", post(create_many_users))
        .route(
            "/api/v2/users/create_or_update_many",
            post(create_or_update_many_users),
        )
        .route("/api/v2/users/update_many", put(update_many_users))
        .route("/api/v2/users/destroy_many", delete(destroy_many_users))
        .route(
            "/api/v2/users/{id}",
            get(show_user).put(update_user).delete(delete_user),
        )
}

/// A user as this caller may see it: the admin view for staff, the end-user view otherwise.
pub fn render(data: &AccountData, user: &User, caller: &Caller, origin: &str) -> Value {
    for_caller(data, user, caller, origin).to_value()
}

fn render_all(data: &AccountData, users: &[&User], caller: &Caller, origin: &str) -> Vec<Value> {
    users
        .iter()
        .map(|u| render(data, u, caller, origin))
        .collect()
}

/// The `{"user": {...}}` body of single-user writes; other top-level keys are ignored with a warning.
#[derive(Debug, Deserialize)]
struct UserBody {
    user: Option<UserInput>,
}

/// The `{"users": [...]}` body of the bulk forms.
#[derive(Debug, Deserialize)]
struct UsersBody {
    users: Option<Vec<UserInput>>,
    user: Option<UserInput>,
}

/// Keys Zendesk would drop from a `{"user":{...}}` body, for `X-Zendesk-API-Warn`.
fn dropped_keys(raw: &Value, input: &UserInput) -> Vec<String> {
    let mut keys: Vec<String> = input.unknown.keys().map(|k| format!("user.{k}")).collect();
    keys.extend(unpermitted(raw, &["user"]));
    keys
}

fn user_input(raw: &Value) -> ApiResult<UserInput> {
    let body: UserBody = serde_json::from_value(raw.clone()).map_err(|e| {
        ApiError::invalid_json(format!(
            "The request body does not have the expected shape: {e}"
        ))
    })?;
    body.user.ok_or_else(|| ApiError::parameter_missing("user"))
}

/// GET /api/v2/users — List Users (`role`, `role[]`, `external_id`; cursor or offset).
async fn list_users(authed: Authed, params: Params) -> ApiResult<Response> {
    let request = PageRequest::from_params(&params, Style::Both, "id")?;
    let roles = params
        .all("role")
        .iter()
        .map(|r| Role::parse(r))
        .collect::<ApiResult<Vec<Role>>>()?;
    let filter = UserFilter {
        roles,
        external_id: params.get("external_id").map(str::to_owned),
    };
    authed.account.read(|data| {
        let users = data.list_users(&authed.caller, &filter)?;
        let page = paginate(
            users,
            |u| vec![u.id],
            &request,
            &authed.links(&params),
            "id",
        );
        Ok(ok_typed(Listed {
            key: "users",
            items: page
                .items
                .iter()
                .map(|u| for_caller(data, u, &authed.caller, &authed.origin))
                .collect(),
            fields: page.fields,
        }))
    })
}

/// GET /api/v2/users/{id} — Show User. Soft-deleted users are returned with `active:false`.
async fn show_user(authed: Authed, Ids([id]): Ids<1>) -> ApiResult<Response> {
    authed.account.read(|data| {
        let user = data.show_user(&authed.caller, id)?;
        Ok(ok_typed(Keyed(
            "user",
            for_caller(data, user, &authed.caller, &authed.origin),
        )))
    })
}

/// GET /api/v2/users/me — Show the Currently Authenticated User (anonymous callers allowed).
async fn show_me(viewer: Viewer) -> ApiResult<Response> {
    let (Some(account), Some(caller)) = (&viewer.account, &viewer.caller) else {
        let (locale, time_zone) = viewer
            .account
            .as_ref()
            .map_or(("en-US".to_owned(), "America/New_York".to_owned()), |a| {
                a.read(|d| (d.settings.locale.clone(), d.settings.time_zone.clone()))
            });
        return Ok(ok(
            json!({"user": views::users::anonymous(&locale, &time_zone)}),
        ));
    };
    account.read(|data| {
        let user = data.user(caller.user_id)?;
        let mut body = render(data, user, caller, &viewer.origin);
        body["authenticity_token"] = json!(views::users::authenticity_token(Some(user.id)));
        Ok(ok(json!({"user": body})))
    })
}

/// GET /api/v2/users/show_many — Show Many Users (`ids` or `external_ids`, at most 100).
async fn show_many_users(authed: Authed, params: Params) -> ApiResult<Response> {
    let ids = params.id_list("ids")?;
    let external_ids = params.list("external_ids")?;
    authed.account.read(|data| {
        let users = match (ids, external_ids) {
            (Some(ids), _) => data.users_by_ids(&authed.caller, &ids)?,
            (None, Some(external_ids)) => {
                data.users_by_external_ids(&authed.caller, &external_ids)?
            }
            (None, None) => return Err(ApiError::parameter_missing("ids")),
        };
        Ok(ok(
            json!({"users": render_all(data, &users, &authed.caller, &authed.origin)}),
        ))
    })
}

/// GET /api/v2/users/count — Count Users.
async fn count_users(authed: Authed, params: Params) -> ApiResult<Response> {
    let roles = params
        .all("role")
        .iter()
        .map(|r| Role::parse(r))
        .collect::<ApiResult<Vec<Role>>>()?;
    authed.account.read(|data| {
        let count = data.list_users(&authed.caller, &UserFilter { roles, external_id: None })?.len();
        Ok(ok(json!({"count": {"value": count, "refreshed_at": crate::store::clock::iso8601(data.now())}})))
    })
}

/// GET /api/v2/users/search — Search Users (`query` or `external_id`; offset pagination only).
async fn search_users(authed: Authed, params: Params) -> ApiResult<Response> {
    let request = PageRequest::from_params(&params, Style::OffsetOnly, "id")?;
    authed.account.write(|data| {
        let users = match (params.get("query"), params.get("external_id")) {
            (Some(query), _) => {
                let ids = data.search_users(&authed.caller, query)?;
                data.hit_users(&ids)
            }
            (None, Some(external_id)) => {
                let id = data.active_user_by_external_id(external_id);
                data.users_by_ids(&authed.caller, &id.into_iter().collect::<Vec<_>>())?
            }
            (None, None) => return Err(ApiError::parameter_missing("query")),
        };
        let page = paginate(
            users,
            |u| vec![u.id],
            &request,
            &authed.links(&params),
            "id",
        );
        Ok(ok(list(
            "users",
            render_all(data, &page.items, &authed.caller, &authed.origin),
            page.fields,
        )))
    })
}

/// GET /api/v2/users/autocomplete — Autocomplete Users (`name` prefix).
async fn autocomplete_users(authed: Authed, params: Params) -> ApiResult<Response> {
    let name = params
        .get("name")
        .ok_or_else(|| ApiError::parameter_missing("name"))?
        .to_owned();
    authed.account.write(|data| {
        let ids = data.autocomplete_users(&authed.caller, &name)?;
        let users = data.hit_users(&ids);
        Ok(ok(
            json!({"users": render_all(data, &users, &authed.caller, &authed.origin)}),
        ))
    })
}

/// Runs a write on user `id` and renders the user as it is afterwards, in one lock hold.
fn write_then_render(
    authed: &Authed,
    id: i64,
    write: impl FnOnce(&mut AccountData) -> ApiResult<()>,
) -> ApiResult<Value> {
    authed.account.write(|data| {
        write(data)?;
        let user = data.user(id)?;
        Ok(json!({"user": render(data, user, &authed.caller, &authed.origin)}))
    })
}

/// POST /api/v2/users — Create User: 201 with `Location`.
async fn create_user(authed: Authed, Body(raw): Body<Value>) -> ApiResult<Response> {
    let input = user_input(&raw)?;
    let (body, id) = authed.account.write(|data| {
        let id = data.create_user(Some(&authed.caller), &input)?;
        let user = data.user(id)?;
        ApiResult::Ok((
            json!({"user": render(data, user, &authed.caller, &authed.origin)}),
            id,
        ))
    })?;
    let location = views::api_url(&authed.origin, &format!("users/{id}"));
    Ok(warn_unpermitted(
        created(body, &location),
        "users",
        "create",
        &dropped_keys(&raw, &input),
    ))
}

/// POST /api/v2/users/create_or_update — Create Or Update User: 201 if created, 200 if updated.
async fn create_or_update_user(authed: Authed, Body(raw): Body<Value>) -> ApiResult<Response> {
    let input = user_input(&raw)?;
    let (body, outcome) = authed.account.write(|data| {
        let outcome = data.create_or_update_user(&authed.caller, &input)?;
        let (Upsert::Created(id) | Upsert::Updated(id)) = outcome;
        let user = data.user(id)?;
        ApiResult::Ok((
            json!({"user": render(data, user, &authed.caller, &authed.origin)}),
            outcome,
        ))
    })?;
    let response = match outcome {
        Upsert::Created(id) => created(
            body,
            &views::api_url(&authed.origin, &format!("users/{id}")),
        ),
        Upsert::Updated(id) => {
            let mut response = ok(body);
            if let Ok(value) = views::api_url(&authed.origin, &format!("users/{id}")).parse() {
                response
                    .headers_mut()
                    .insert(axum::http::header::LOCATION, value);
            }
            response
        }
    };
    Ok(warn_unpermitted(
        response,
        "users",
        "create_or_update",
        &dropped_keys(&raw, &input),
    ))
}

/// PUT /api/v2/users/{id} — Update User. `email` adds a secondary identity.
async fn update_user(
    authed: Authed,
    Ids([id]): Ids<1>,
    Body(raw): Body<Value>,
) -> ApiResult<Response> {
    let input = user_input(&raw)?;
    let body = write_then_render(&authed, id, |data| {
        data.update_user(&authed.caller, id, &input)
    })?;
    Ok(warn_unpermitted(
        ok(body),
        "users",
        "update",
        &dropped_keys(&raw, &input),
    ))
}

/// DELETE /api/v2/users/{id} — Delete User: soft delete, 200 with the user (`active:false`).
/// A JSON body is accepted and ignored with a warning, as zenpy sends one (recorded).
async fn delete_user(
    authed: Authed,
    Ids([id]): Ids<1>,
    Body(raw): Body<Value>,
) -> ApiResult<Response> {
    let body = write_then_render(&authed, id, |data| {
        data.soft_delete_user(&authed.caller, id)
    })?;
    Ok(warn_unpermitted(
        ok(body),
        "users",
        "destroy",
        &unpermitted(&raw, &[]),
    ))
}

/// Queues a job, answers with its `queued` status, then starts it per the job mode.
pub(crate) fn enqueue(authed: &Authed, work: JobWork) -> ApiResult<Response> {
    let (id, body) = authed.account.write(|data| {
        data.check_job_capacity()?;
        let id = data.enqueue_job(&authed.caller, work);
        let body = data
            .job(&id)
            .map(|job| views::jobs::job(job, &authed.origin))
            .unwrap_or_default();
        ApiResult::Ok((id, body))
    })?;
    jobs::dispatch(&authed.account, &id);
    Ok(ok(json!({"job_status": body})))
}

/// The users list of a bulk create: at most 100 (recorded message, facts §2).
fn bulk_users(raw: &Value) -> ApiResult<Vec<UserInput>> {
    let body: UsersBody = serde_json::from_value(raw.clone()).map_err(|e| {
        ApiError::invalid_json(format!(
            "The request body does not have the expected shape: {e}"
        ))
    })?;
    let users = body
        .users
        .ok_or_else(|| ApiError::parameter_missing("users"))?;
    if users.len() > 100 {
        return Err(ApiError::TooManyValues {
            description: "Maximum 100 users may be created per call".to_owned(),
            max_count: None,
        });
    }
    Ok(users)
}

/// POST /api/v2/users/create_many — Create Many Users: a job.
async fn create_many_users(authed: Authed, Body(raw): Body<Value>) -> ApiResult<Response> {
    let users = bulk_users(&raw)?;
    authed.caller.require_staff()?;
    enqueue(&authed, JobWork::CreateUsers(users))
}

/// POST /api/v2/users/create_or_update_many — Create Or Update Many Users: a job.
async fn create_or_update_many_users(
    authed: Authed,
    Body(raw): Body<Value>,
) -> ApiResult<Response> {
    let users = bulk_users(&raw)?;
    authed.caller.require_staff()?;
    enqueue(&authed, JobWork::CreateOrUpdateUsers(users))
}

/// The targets named by `ids=` or `external_ids=` (at most 100).
fn user_refs(params: &Params) -> ApiResult<Option<Vec<UserRef>>> {
    if let Some(ids) = params.id_list("ids")? {
        return Ok(Some(ids.into_iter().map(UserRef::Id).collect()));
    }
    Ok(params
        .list("external_ids")?
        .map(|ids| ids.into_iter().map(UserRef::ExternalId).collect()))
}

/// PUT /api/v2/users/update_many — Update Many Users: the same change to `ids`/`external_ids`
/// (`{"user":{...}}`), or a batch of individual changes (`{"users":[{"id":1,...}]}`).
async fn update_many_users(
    authed: Authed,
    params: Params,
    Body(raw): Body<Value>,
) -> ApiResult<Response> {
    authed.caller.require_staff()?;
    let body: UsersBody = serde_json::from_value(raw).map_err(|e| {
        ApiError::invalid_json(format!(
            "The request body does not have the expected shape: {e}"
        ))
    })?;
    let items: Vec<(UserRef, UserInput)> = match (user_refs(&params)?, body.user, body.users) {
        (Some(targets), Some(change), _) => {
            targets.into_iter().map(|t| (t, change.clone())).collect()
        }
        (None, _, Some(batch)) => {
            if batch.len() > 100 {
                return Err(ApiError::too_many_values());
            }
            batch
                .into_iter()
                .map(|input| {
                    let id = input
                        .id
                        .ok_or_else(|| ApiError::parameter_missing("users[].id"))?;
                    Ok((UserRef::Id(id), input))
                })
                .collect::<ApiResult<_>>()?
        }
        (Some(_), None, _) => return Err(ApiError::parameter_missing("user")),
        (None, _, None) => return Err(ApiError::parameter_missing("ids")),
    };
    enqueue(&authed, JobWork::UpdateUsers(items))
}

/// DELETE /api/v2/users/destroy_many — Bulk Delete Users: admins only, at most 100, a job whose
/// results report each user (rule failures as failed items).
async fn destroy_many_users(
    authed: Authed,
    params: Params,
    Body(raw): Body<Value>,
) -> ApiResult<Response> {
    let targets = user_refs(&params)?.ok_or_else(|| ApiError::parameter_missing("ids"))?;
    authed.caller.require_admin()?;
    Ok(warn_unpermitted(
        enqueue(&authed, JobWork::DestroyUsers(targets))?,
        "users",
        "destroy_many",
        &unpermitted(&raw, &[]),
    ))
}
