//! Reading users: lists, look-ups by ids, deleted users. Searching them is [`super::search`].

use super::account::AccountData;
use super::users::{Role, User};
use super::{Caller, Id};
use crate::error::{ApiError, ApiResult};

/// Filters of `GET /users` and `GET /users/count`.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// `role` / `role[]`: any of these (empty = all).
    pub roles: Vec<Role>,
    pub external_id: Option<String>,
}

impl AccountData {
    /// `GET /users`: active users (deleted users move to `/deleted_users`), oldest first.
    pub fn list_users(&self, caller: &Caller, filter: &UserFilter) -> ApiResult<Vec<&User>> {
        caller.require_staff()?;
        let external = filter.external_id.as_deref().map(str::to_lowercase);
        Ok(self
            .users
            .values()
            .filter(|u| u.is_active())
            .filter(|u| filter.roles.is_empty() || filter.roles.contains(&u.role))
            .filter(|u| {
                external.as_deref().is_none_or(|e| {
                    u.external_id
                        .as_deref()
                        .is_some_and(|x| x.to_lowercase() == e)
                })
            })
            .collect())
    }

    /// `GET /users/{id}`: any user not permanently deleted — soft-deleted users are still
    /// returned, with `active:false` (facts §3.3, RB-live).
    pub fn show_user(&self, caller: &Caller, id: Id) -> ApiResult<&User> {
        self.readable_user(caller, id)
    }

    /// `GET /users/show_many?ids=`: the users found, in the order asked; unknown ids are skipped.
    pub fn users_by_ids(&self, caller: &Caller, ids: &[Id]) -> ApiResult<Vec<&User>> {
        caller.require_staff()?;
        Ok(ids
            .iter()
            .filter_map(|id| self.users.get(id))
            .filter(|u| !u.is_permanently_deleted())
            .collect())
    }

    /// `GET /users/show_many?external_ids=`.
    pub fn users_by_external_ids(
        &self,
        caller: &Caller,
        external_ids: &[String],
    ) -> ApiResult<Vec<&User>> {
        caller.require_staff()?;
        let ids: Vec<Id> = external_ids
            .iter()
            .filter_map(|e| self.active_user_by_external_id(e))
            .collect();
        self.users_by_ids(caller, &ids)
    }

    /// `GET /deleted_users`: soft-deleted and permanently deleted users, oldest first.
    pub fn deleted_users(&self, caller: &Caller) -> ApiResult<Vec<&User>> {
        caller.require_staff()?;
        Ok(self.users.values().filter(|u| !u.is_active()).collect())
    }

    /// `GET /deleted_users/{id}`: 404 unless the user was deleted (INFERRED for never-deleted
    /// ids); a permanently deleted user shows as its placeholder.
    pub fn deleted_user(&self, caller: &Caller, id: Id) -> ApiResult<&User> {
        caller.require_staff()?;
        self.users
            .get(&id)
            .filter(|u| !u.is_active())
            .ok_or(ApiError::RecordNotFound)
    }
}
