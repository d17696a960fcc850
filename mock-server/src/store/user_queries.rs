//! Reading users: lists, look-ups by ids, deleted users, and the basic user search that
//! `GET /users/search` needs until the search engine lands.

use super::account::AccountData;
use super::identities::IdentityType;
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

    /// `GET /users/search?query=`: active users matching every term of the query. A bare term
    /// matches a run of whole words ending in a word prefix, a `"quoted phrase"` a run of whole
    /// words, in the name, an identity, the notes, details, external id or phone — Zendesk's
    /// "whole words and prefixes" rule (facts §7); a phone number also matches by its digits.
    pub fn search_users(&self, caller: &Caller, query: &str) -> ApiResult<Vec<&User>> {
        caller.require_staff()?;
        let terms = Term::parse_all(query);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .users
            .values()
            .filter(|u| u.is_active())
            .filter(|u| terms.iter().all(|t| self.user_matches(u, t)))
            .collect())
    }

    /// `GET /users/autocomplete?name=`: active users whose name has a word starting with `name`.
    pub fn autocomplete_users(&self, caller: &Caller, name: &str) -> ApiResult<Vec<&User>> {
        caller.require_staff()?;
        let prefix = name.trim().to_lowercase();
        if prefix.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .users
            .values()
            .filter(|u| u.is_active())
            .filter(|u| {
                u.name.to_lowercase().starts_with(&prefix)
                    || words(&u.name).any(|w| w.starts_with(&prefix))
            })
            .collect())
    }

    fn user_matches(&self, user: &User, term: &Term) -> bool {
        let identities = self.identities.values().filter(|i| i.user_id == user.id);
        let identity_hit = identities.into_iter().any(|i| {
            term.matches(&i.value)
                || (i.kind == IdentityType::PhoneNumber && term.same_phone(&i.value))
        });
        let text_fields = [
            Some(user.name.as_str()),
            user.notes.as_deref(),
            user.details.as_deref(),
            user.external_id.as_deref(),
            user.phone.as_deref(),
        ];
        identity_hit
            || user.tags.iter().any(|t| term.matches(t))
            || user.phone.as_deref().is_some_and(|p| term.same_phone(p))
            || text_fields
                .into_iter()
                .flatten()
                .any(|field| term.matches(field))
    }
}

/// One search term: the words of a bare term or of a `"quoted phrase"`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    words: Vec<String>,
    /// The term's digits, for phone numbers written in any format.
    digits: String,
    /// Quoted: every word must match whole; otherwise the last may be a prefix.
    phrase: bool,
}

impl Term {
    /// Splits a query into terms, keeping quoted phrases together.
    fn parse_all(query: &str) -> Vec<Self> {
        let mut terms = Vec::new();
        for (index, part) in query.split('"').enumerate() {
            let phrase = index % 2 == 1;
            let pieces: Vec<&str> = if phrase {
                vec![part]
            } else {
                part.split_whitespace().collect()
            };
            for piece in pieces {
                let words: Vec<String> = words(piece).collect();
                if !words.is_empty() {
                    let digits = piece.chars().filter(char::is_ascii_digit).collect();
                    terms.push(Self {
                        words,
                        digits,
                        phrase,
                    });
                }
            }
        }
        terms
    }

    /// Does `field` contain the term's words consecutively?
    fn matches(&self, field: &str) -> bool {
        let field: Vec<String> = words(field).collect();
        let last = self.words.len() - 1;
        field.windows(self.words.len()).any(|window| {
            window
                .iter()
                .zip(&self.words)
                .enumerate()
                .all(|(i, (have, want))| {
                    if i == last && !self.phrase {
                        have.starts_with(want.as_str())
                    } else {
                        have == want
                    }
                })
        })
    }

    /// Is `phone` the same number as the term (digits compared, at least 7 of them)?
    fn same_phone(&self, phone: &str) -> bool {
        self.digits.len() >= 7
            && phone
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                == self.digits
    }
}

/// Lowercase words of a text: runs of letters and digits (an email splits at `@` and `.`).
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}
