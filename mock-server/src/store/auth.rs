//! Who is calling: credential checks (facts §10) and the permission questions handlers ask.

use super::Id;
use super::account::AccountData;
use super::identities::IdentityType;
use super::users::Role;
use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};

/// Credentials as presented in the `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `Basic base64("{email}/token:{api_token}")`.
    ApiToken { email: String, token: String },
    /// `Basic base64("{email}:{password}")` — only when the account allows it.
    Password { email: String, password: String },
    /// `Bearer {access_token}`.
    Bearer(String),
}

impl Credentials {
    /// The token that identifies the account, for resolution by credentials.
    pub fn token(&self) -> Option<&str> {
        match self {
            Self::ApiToken { token, .. } | Self::Bearer(token) => Some(token),
            Self::Password { .. } => None,
        }
    }
}

/// An OAuth access token and the user it acts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthToken {
    pub user_id: Id,
    /// `read`, `write`, or resource scopes like `users:read`.
    pub scopes: Vec<String>,
}

/// The authenticated user a request acts as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Caller {
    pub user_id: Id,
    pub role: Role,
    pub is_owner: bool,
    /// OAuth scopes, when authenticated by bearer token; `None` means unrestricted.
    pub scopes: Option<Vec<String>>,
}

impl Caller {
    /// Agents and admins.
    pub fn require_staff(&self) -> ApiResult<()> {
        if self.role.is_staff() {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    pub fn require_admin(&self) -> ApiResult<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// May this caller change user `target_id` (of role `target_role`)? Admins change anyone;
    /// agents change end users and themselves; end users only themselves.
    pub fn require_may_manage(&self, target_role: Role, target_id: Id) -> ApiResult<()> {
        let allowed = match self.role {
            Role::Admin => true,
            Role::Agent => target_role == Role::EndUser || target_id == self.user_id,
            Role::EndUser => target_id == self.user_id,
        };
        if allowed {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// Does an OAuth scope list allow this access? `resource` is the first path segment after
    /// `/api/v2/` (e.g. `users`); `write` says whether the method changes data.
    pub fn scope_allows(&self, resource: &str, write: bool) -> bool {
        let Some(scopes) = &self.scopes else {
            return true;
        };
        let wanted = if write { "write" } else { "read" };
        scopes.iter().any(|scope| {
            scope == wanted
                || (!write && scope == "write")
                || scope == &format!("{resource}:{wanted}")
                || (!write && scope == &format!("{resource}:write"))
        })
    }
}

impl AccountData {
    /// Checks credentials against this account. Callers must be active, verified and not
    /// suspended (Zendesk: "suspended users can't sign in ... via the API"); the status for a
    /// suspended user is not documented, and we answer 401 like any failed sign-in (INFERRED).
    pub fn authenticate(&self, credentials: &Credentials) -> ApiResult<Caller> {
        match credentials {
            Credentials::ApiToken { email, token } => {
                if !self.api_tokens.iter().any(|t| t == token) {
                    return Err(ApiError::CouldNotAuthenticate);
                }
                self.sign_in_by_email(email, ApiError::CouldNotAuthenticate)
            }
            Credentials::Password { email, password } => {
                if !self.settings.password_auth {
                    return Err(ApiError::CouldNotAuthenticate);
                }
                let caller = self.sign_in_by_email(email, ApiError::CouldNotAuthenticate)?;
                let stored = self
                    .users
                    .get(&caller.user_id)
                    .and_then(|u| u.password.as_deref());
                if stored == Some(password.as_str()) {
                    Ok(caller)
                } else {
                    Err(ApiError::CouldNotAuthenticate)
                }
            }
            Credentials::Bearer(token) => {
                let grant = self.oauth_tokens.get(token).ok_or(ApiError::InvalidToken)?;
                let mut caller = self
                    .caller_for(grant.user_id)
                    .ok_or(ApiError::InvalidToken)?;
                caller.scopes = Some(grant.scopes.clone());
                Ok(caller)
            }
        }
    }

    fn sign_in_by_email(&self, email: &str, failure: ApiError) -> ApiResult<Caller> {
        let user_id = self
            .active_user_by_identity(IdentityType::Email, email)
            .ok_or(failure.clone())?;
        if !self.user_verified(user_id) {
            return Err(failure);
        }
        self.caller_for(user_id).ok_or(failure)
    }

    /// The caller for an active, unsuspended user.
    pub fn caller_for(&self, user_id: Id) -> Option<Caller> {
        let user = self
            .users
            .get(&user_id)
            .filter(|u| u.is_active() && !u.suspended)?;
        Some(Caller {
            user_id,
            role: user.role,
            is_owner: user_id == self.owner_id,
            scopes: None,
        })
    }

    /// Issues an OAuth token for a user (seeds and the control API use this).
    pub fn grant_oauth_token(
        &mut self,
        token: &str,
        user_id: Id,
        scopes: Vec<String>,
    ) -> ApiResult<()> {
        self.user(user_id)?;
        self.oauth_tokens
            .insert(token.to_owned(), OAuthToken { user_id, scopes });
        Ok(())
    }

    /// The user `caller` may read: anyone not permanently deleted for staff; only themselves
    /// for end users.
    pub fn readable_user(&self, caller: &Caller, user_id: Id) -> ApiResult<&super::users::User> {
        let user = self.user(user_id)?;
        if user.is_permanently_deleted() {
            return Err(ApiError::RecordNotFound);
        }
        if !caller.role.is_staff() && caller.user_id != user_id {
            return Err(ApiError::Forbidden);
        }
        Ok(user)
    }

    /// The user `caller` may change: active, and within the caller's reach. Deleted users are
    /// read-only (INFERRED: Zendesk documents no update of a deleted user).
    pub fn writable_user(&self, caller: &Caller, user_id: Id) -> ApiResult<&super::users::User> {
        let user = self.user(user_id)?;
        if !user.is_active() {
            return Err(ApiError::RecordNotFound);
        }
        caller.require_may_manage(user.role, user.id)?;
        Ok(user)
    }
}
