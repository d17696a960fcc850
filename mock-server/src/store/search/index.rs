//! The inverted index: word → the records holding it (with the fields it occurs in), kept up to
//! date record by record, plus the queue of record versions not yet visible (index lag).
//!
//! Postings only narrow the candidates; every candidate is then checked against the whole query
//! with [`super::eval`], so the index can never return a record the query does not match.
//! A record keeps one number for its life, so posting lists stay sorted by appending.

use super::analyze::holds_run;
use super::document::{Doc, DocKey};
use super::eval::Plan;
use super::query::{Kind, Pred, Text};
use crate::store::clock::Timestamp;
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

/// A record version waiting for the index lag to pass; `None` removes the record.
#[derive(Debug, Clone)]
struct Staged {
    due: Timestamp,
    key: DocKey,
    doc: Option<Doc>,
}

/// One account's search index.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    docs: Vec<Option<Doc>>,
    numbers: HashMap<DocKey, u32>,
    postings: BTreeMap<Box<str>, Vec<(u32, u16)>>,
    staged: Vec<Staged>,
    /// The last event-log entry this index has taken in; 0 = never synced.
    pub(super) seen_seq: u64,
}

impl SearchIndex {
    /// Replaces everything with `docs`, visible at once.
    pub fn rebuild(&mut self, mut docs: Vec<Doc>) {
        let seen = self.seen_seq;
        *self = Self::default();
        self.seen_seq = seen;
        docs.sort_by_key(|d| d.key);
        for doc in docs {
            self.put(doc.key, Some(doc));
        }
    }

    /// Makes `doc` (or the record's absence) visible at `due`.
    pub fn stage(&mut self, key: DocKey, doc: Option<Doc>, due: Timestamp, now: Timestamp) {
        if due <= now && self.staged.iter().all(|s| s.key != key) {
            self.put(key, doc);
        } else {
            self.staged.push(Staged { due, key, doc });
        }
    }

    /// Applies, in write order, every staged version whose time has come.
    pub fn catch_up(&mut self, now: Timestamp) {
        if self.staged.iter().all(|s| s.due > now) {
            return;
        }
        let staged = std::mem::take(&mut self.staged);
        let mut waiting = Vec::new();
        for item in staged {
            // A later version of a record never overtakes an earlier one still waiting.
            let blocked = waiting.iter().any(|w: &Staged| w.key == item.key);
            if item.due <= now && !blocked {
                self.put(item.key, item.doc);
            } else {
                waiting.push(item);
            }
        }
        self.staged = waiting;
    }

    /// Record versions written but not yet visible.
    pub fn lagging(&self) -> usize {
        self.staged.len()
    }

    /// Visible records.
    pub fn len(&self) -> usize {
        self.docs.iter().flatten().count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Distinct words indexed.
    pub fn vocabulary(&self) -> usize {
        self.postings.len()
    }

    fn put(&mut self, key: DocKey, doc: Option<Doc>) {
        let number = match self.numbers.get(&key) {
            Some(&n) => n,
            None if doc.is_none() => return,
            None => {
                let n = self.docs.len() as u32;
                self.docs.push(None);
                self.numbers.insert(key, n);
                n
            }
        };
        if let Some(old) = self.docs[number as usize].take() {
            for word in old.words().into_keys() {
                if let Some(list) = self.postings.get_mut(word) {
                    if let Ok(at) = list.binary_search_by_key(&number, |p| p.0) {
                        list.remove(at);
                    }
                    if list.is_empty() {
                        self.postings.remove(word);
                    }
                }
            }
        }
        if let Some(doc) = doc {
            for (word, mask) in doc.words() {
                let list = self.postings.entry(word.into()).or_default();
                match list.last() {
                    Some(&(last, _)) if last >= number => {
                        let at = list.partition_point(|p| p.0 < number);
                        list.insert(at, (number, mask));
                    }
                    _ => list.push((number, mask)),
                }
            }
            self.docs[number as usize] = Some(doc);
        }
    }

    /// The visible records of the account (for resolving `requester:` values).
    pub fn docs(&self) -> impl Iterator<Item = &Doc> {
        self.docs.iter().flatten()
    }

    /// The visible records matching `plan`.
    /// A query without clauses (blank, or only `order_by:`) finds nothing (INFERRED).
    pub fn matching<'a>(&'a self, plan: &Plan<'_>) -> Vec<&'a Doc> {
        if plan.query.clauses.is_empty() {
            return Vec::new();
        }
        let kind = plan.query.kind();
        let narrowest = plan
            .query
            .clauses
            .iter()
            .filter(|c| !c.negated)
            .filter_map(|c| match &c.pred {
                Pred::Text(text) => Some(self.candidates(text)),
                _ => None,
            })
            .min_by_key(Vec::len);
        let keep = |doc: &&Doc| kind_allows(kind, doc.key) && plan.matches(doc, holds_run);
        match narrowest {
            Some(numbers) => numbers
                .into_iter()
                .filter_map(|n| self.docs[n as usize].as_ref())
                .filter(keep)
                .collect(),
            None => self.docs().filter(keep).collect(),
        }
    }

    /// Records that may satisfy `text`: those holding every word (the last as a prefix for a
    /// bare term) in a field the clause searches, plus phone and ticket-id matches.
    fn candidates(&self, text: &Text) -> Vec<u32> {
        let mask = text.field.map_or(u16::MAX, |f| f.bit());
        let last = text.words.len() - 1;
        let mut result: Option<Vec<u32>> = None;
        for (i, word) in text.words.iter().enumerate() {
            let mut numbers: Vec<u32> = if i == last && text.prefix {
                self.postings
                    .range::<str, _>((Bound::Included(word.as_str()), Bound::Unbounded))
                    .take_while(|(w, _)| w.starts_with(word.as_str()))
                    .flat_map(|(_, list)| list.iter())
                    .filter(|p| p.1 & mask != 0)
                    .map(|p| p.0)
                    .collect()
            } else {
                self.postings
                    .get(word.as_str())
                    .into_iter()
                    .flatten()
                    .filter(|p| p.1 & mask != 0)
                    .map(|p| p.0)
                    .collect()
            };
            numbers.sort_unstable();
            numbers.dedup();
            result = Some(match result {
                None => numbers,
                Some(have) => intersect(&have, &numbers),
            });
            if result.as_ref().is_some_and(Vec::is_empty) {
                break;
            }
        }
        let mut result = result.unwrap_or_default();
        if let Some(digits) = &text.digits {
            let phone = super::document::Field::Phone.bit();
            result.extend(
                self.postings
                    .get(digits.as_str())
                    .into_iter()
                    .flatten()
                    .filter(|p| p.1 & phone != 0)
                    .map(|p| p.0),
            );
        }
        if let Some(id) = text.ticket_id {
            result.extend(self.numbers.get(&DocKey::Ticket(id)));
        }
        result.sort_unstable();
        result.dedup();
        result
    }
}

/// May a record of this key be returned by a query restricted to `kind`?
pub fn kind_allows(kind: Option<Kind>, key: DocKey) -> bool {
    matches!(
        (kind, key),
        (None, _) | (Some(Kind::Ticket), DocKey::Ticket(_)) | (Some(Kind::User), DocKey::User(_))
    )
}

/// Both sorted lists' common numbers.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}
