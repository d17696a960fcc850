//! Accounts: create, list, drop, reset, seed.

use crate::error::{ApiError, ApiResult};
use crate::http::AppState;
use crate::http::context::{Control, ServerControl};
use crate::http::extract::Body;
use crate::http::respond::{created, ok};
use crate::store::account::splitmix64;
use crate::store::seed::World;
use crate::store::{Account, OwnerSpec};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::hash::{BuildHasher, RandomState};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    subdomain: String,
    admin_name: Option<String>,
    admin_email: Option<String>,
    /// The owner's API token; a fresh random one when absent.
    token: Option<String>,
}

/// A fresh API token: unique per call, not derived from anything guessable in a test.
fn fresh_token() -> String {
    let seed = RandomState::new().hash_one(std::time::SystemTime::now());
    format!(
        "{:016x}{:016x}",
        splitmix64(seed),
        splitmix64(seed ^ 0x5bd1_e995)
    )
}

fn account_json(account: &Account) -> Value {
    account.read(|data| {
        let owner = data.user(data.owner_id).ok();
        json!({
            "subdomain": data.subdomain,
            "admin": {
                "id": data.owner_id,
                "email": owner.and_then(|o| data.primary_email(o.id)),
                "token": data.api_tokens().first(),
            },
        })
    })
}

/// POST /__mock/accounts — a fresh isolated account with an owner admin and no other data.
pub async fn create_account(
    State(state): State<AppState>,
    _: ServerControl,
    Body(body): Body<NewAccount>,
) -> ApiResult<Response> {
    let owner = OwnerSpec {
        name: body.admin_name.unwrap_or_else(|| "Admin".to_owned()),
        email: body.admin_email.unwrap_or_else(|| {
            format!("admin@{}.example.com", body.subdomain.trim().to_lowercase())
        }),
        token: body.token.unwrap_or_else(fresh_token),
    };
    let account = state.registry.create_account(&body.subdomain, &owner)?;
    let location = format!("/__mock/accounts/{}", account.subdomain);
    Ok(created(
        json!({"account": account_json(&account)}),
        &location,
    ))
}

/// GET /__mock/accounts — every account, with its owner admin.
pub async fn list_accounts(State(state): State<AppState>, _: ServerControl) -> ApiResult<Response> {
    let accounts: Vec<Value> = state
        .registry
        .subdomains()
        .iter()
        .filter_map(|s| state.registry.get(s))
        .map(|a| account_json(&a))
        .collect();
    Ok(ok(json!({"accounts": accounts})))
}

/// DELETE /__mock/accounts/{subdomain} — drops the account and its tokens: 204, or 404.
pub async fn delete_account(
    State(state): State<AppState>,
    _: ServerControl,
    Path(subdomain): Path<String>,
) -> ApiResult<Response> {
    if state.registry.remove(&subdomain) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::RecordNotFound)
    }
}

/// POST /__mock/reset — empties the account back to its owner admin; clears journal, events, jobs.
pub async fn reset_account(State(state): State<AppState>, control: Control) -> ApiResult<Response> {
    state.registry.reset_account(&control.account)?;
    Ok(ok(json!({"account": account_json(&control.account)})))
}

/// POST /__mock/seed — loads a world (atomically); returns the ids assigned.
pub async fn seed_account(
    State(state): State<AppState>,
    control: Control,
    Body(world): Body<Value>,
) -> ApiResult<Response> {
    let world = World::from_json(world)?;
    let old_tokens: Vec<String> = control.account.read(|data| data.api_tokens().to_vec());
    let report = control.account.write(|data| data.seed(&world))?;
    state.registry.reindex_tokens(&control.account, &old_tokens);
    Ok(ok(report))
}
