//! The reference scan: every record extracted afresh from the store and checked one by one,
//! finding words by walking them rather than by substring search. No postings, no lag, no
//! incremental upkeep — what the index must always agree with (property tests) and what its
//! speed is measured against (the search benchmark).

use super::document::{Doc, DocKey};
use super::eval::Plan;
use super::index::kind_allows;
use super::query::Query;
use super::{Order, sort};
use crate::store::Id;
use crate::store::account::AccountData;

/// Finds `words` as consecutive whole words (the last possibly a prefix) in one value of a
/// normalized field, word by word.
pub fn naive_run(text: &str, words: &[String], last_is_prefix: bool) -> bool {
    text.split('\n').any(|value| {
        let have: Vec<&str> = value.split(' ').filter(|w| !w.is_empty()).collect();
        have.windows(words.len()).any(|window| {
            window.iter().zip(words).enumerate().all(|(i, (h, w))| {
                if last_is_prefix && i + 1 == words.len() {
                    h.starts_with(w.as_str())
                } else {
                    *h == w.as_str()
                }
            })
        })
    })
}

impl AccountData {
    /// The records `query` matches right now, by scanning the store (no index, no lag), sorted
    /// like [`AccountData::search`]. `me` is the caller's user id.
    pub fn search_by_scan(&self, query: &Query, me: Id, order: Order) -> Vec<DocKey> {
        if query.clauses.is_empty() {
            return Vec::new();
        }
        let docs = self.all_search_docs();
        let plan = Plan::new(query, me, || Box::new(docs.iter()), naive_run);
        let kind = query.kind();
        let mut found: Vec<&Doc> = docs
            .iter()
            .filter(|d| kind_allows(kind, d.key))
            .filter(|d| plan.matches(d, naive_run))
            .collect();
        sort(&mut found, query, order);
        found.into_iter().map(|d| d.key).collect()
    }
}
