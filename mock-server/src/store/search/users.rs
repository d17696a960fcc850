//! `GET /users/search` and `GET /users/autocomplete` on the search index: the same words,
//! keywords and lag as `GET /search`, restricted to users.

use super::Order;
use super::analyze::words;
use super::document::{DocKey, Field};
use super::query::{Clause, Kind, Pred, Query, Text};
use crate::error::ApiResult;
use crate::store::account::AccountData;
use crate::store::users::User;
use crate::store::{Caller, Id};

impl AccountData {
    /// `GET /users/search?query=`: active users matching the query (Zendesk search syntax over
    /// name, identities, phone, notes, details, external id and tags), by id. A user is found
    /// through any identity but shown with the primary email (facts §3.3).
    pub fn search_users(&mut self, caller: &Caller, query: &str) -> ApiResult<Vec<Id>> {
        let mut query = Query::parse(query, self.now())?;
        if query.clauses.is_empty() {
            return Ok(Vec::new());
        }
        query.clauses.push(type_user());
        self.matching_user_ids(caller, &query)
    }

    /// `GET /users/autocomplete?name=`: active users whose name has a run of words starting
    /// with `name`.
    pub fn autocomplete_users(&mut self, caller: &Caller, name: &str) -> ApiResult<Vec<Id>> {
        let words: Vec<String> = words(name).collect();
        if words.is_empty() {
            caller.require_staff()?;
            return Ok(Vec::new());
        }
        let query = Query {
            clauses: vec![
                type_user(),
                Clause {
                    negated: false,
                    pred: Pred::Text(Text {
                        field: Some(Field::Name),
                        words,
                        prefix: true,
                        digits: None,
                        ticket_id: None,
                    }),
                },
            ],
            ..Query::default()
        };
        self.matching_user_ids(caller, &query)
    }

    fn matching_user_ids(&mut self, caller: &Caller, query: &Query) -> ApiResult<Vec<Id>> {
        let order = Order {
            field: None,
            descending: false,
        };
        let mut ids: Vec<Id> = self
            .search(caller, query, order)?
            .into_iter()
            .filter_map(|d| match d.key {
                DocKey::User(id) => Some(id),
                DocKey::Ticket(_) => None,
            })
            .collect();
        ids.sort_unstable();
        Ok(ids)
    }

    /// The users behind index hits, as they are now. A lagging index may still hold a user
    /// deleted since: the hit stays (a tool checking an erasure at once must see it), showing
    /// the user with `active:false`, or the placeholder after a permanent delete.
    pub fn hit_users(&self, ids: &[Id]) -> Vec<&User> {
        ids.iter().filter_map(|id| self.users.get(id)).collect()
    }
}

fn type_user() -> Clause {
    Clause {
        negated: false,
        pred: Pred::Type(Kind::User),
    }
}
