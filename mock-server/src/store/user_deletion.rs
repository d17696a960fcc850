//! Soft delete, permanent delete and the placeholder (facts §3.4, design.md decisions).

use super::account::AccountData;
use super::events::Event;
use super::users::{Lifecycle, PLACEHOLDER_NAME, Role};
use super::{Caller, Id};
use crate::error::{ApiError, ApiResult};
use serde_json::Map;

impl AccountData {
    /// `DELETE /users/{id}`: marks the user deleted (`active:false`) and frees its identities
    /// for reuse. Rules: the owner can never be deleted (403, INFERRED status); agents delete
    /// end users only; a requester of a ticket that is not closed cannot be deleted. Deleting an
    /// already soft-deleted user changes nothing and succeeds again, since `GET /users/{id}`
    /// still finds it (INFERRED).
    pub fn soft_delete_user(&mut self, caller: &Caller, id: Id) -> ApiResult<()> {
        caller.require_staff()?;
        let user = self.user(id)?;
        match user.lifecycle {
            Lifecycle::PermanentlyDeleted { .. } => return Err(ApiError::RecordNotFound),
            Lifecycle::SoftDeleted { .. } => return Ok(()),
            Lifecycle::Active => {}
        }
        if id == self.owner_id && self.keeps(super::BrokenRule::OwnerProtection) {
            return Err(ApiError::Forbidden);
        }
        let staff_only = self.keeps(super::BrokenRule::AgentDeletesEndUsersOnly);
        if caller.role == Role::Agent && user.role != Role::EndUser && staff_only {
            return Err(ApiError::Forbidden);
        }
        // The guard: a requester of any ticket that is not closed (solved included) cannot be
        // deleted (HC:4408821737498). Status 422 and wording after ZD2's mock (INFERRED).
        let unclosed = self.unclosed_requested_tickets(id);
        if unclosed > 0 && self.keeps(super::BrokenRule::DeleteGuard) {
            return Err(ApiError::record_invalid(
                "base",
                format!("User is requester on {unclosed} ticket(s) that are not closed."),
            ));
        }
        let now = self.now();
        let user = self.user_mut(id)?;
        user.lifecycle = Lifecycle::SoftDeleted { at: now };
        user.updated_at = now;
        if self.keeps(super::BrokenRule::FreeIdentitiesOnSoftDelete) {
            self.release_identities(id);
        }
        self.oauth_tokens.retain(|_, grant| grant.user_id != id);
        self.events
            .push(now, Event::UserSoftDeleted { user_id: id });
        Ok(())
    }

    /// `DELETE /deleted_users/{id}`: scrubs every personal field, removes the identities and
    /// leaves the "Permanently Deleted User" placeholder. Only soft-deleted users qualify: an
    /// active or already scrubbed user is 404 (INFERRED: the route resolves soft-deleted users
    /// only). Zendesk renames asynchronously; we rename at once so tests need not wait.
    pub fn permanently_delete_user(&mut self, caller: &Caller, id: Id) -> ApiResult<()> {
        caller.require_staff()?;
        let user = self.user(id)?;
        let Lifecycle::SoftDeleted {
            at: soft_deleted_at,
        } = user.lifecycle
        else {
            if user.is_active() && !self.keeps(super::BrokenRule::PermanentDeleteNeedsSoftDelete) {
                return self.scrub_user(id, self.now());
            }
            return Err(ApiError::RecordNotFound);
        };
        if caller.role == Role::Agent && user.role != Role::EndUser {
            return Err(ApiError::Forbidden);
        }
        self.scrub_user(id, soft_deleted_at)
    }

    /// The store operation behind both the API's permanent delete and (later) the 30-day purge.
    pub(crate) fn scrub_user(&mut self, id: Id, soft_deleted_at: i64) -> ApiResult<()> {
        let now = self.now();
        let placeholder = self.keeps(super::BrokenRule::PlaceholderName);
        let user = self.user_mut(id)?;
        if placeholder {
            user.name = PLACEHOLDER_NAME.to_owned();
        }
        user.lifecycle = Lifecycle::PermanentlyDeleted {
            at: now,
            soft_deleted_at,
        };
        for field in [
            &mut user.external_id,
            &mut user.alias,
            &mut user.details,
            &mut user.notes,
            &mut user.signature,
            &mut user.phone,
            &mut user.password,
        ] {
            *field = None;
        }
        user.shared_phone_number = None;
        user.organization_id = None;
        user.default_group_id = None;
        user.custom_role_id = None;
        user.tags.clear();
        user.user_fields = Map::new();
        user.last_login_at = None;
        user.updated_at = now;
        self.remove_identities(id);
        self.oauth_tokens.retain(|_, grant| grant.user_id != id);
        self.events
            .push(now, Event::UserPermanentlyDeleted { user_id: id });
        Ok(())
    }
}
