//! Search: the engine privacy tools use to find every record that mentions a data subject
//! (facts §7).
//!
//! Each account keeps an inverted [`index::SearchIndex`] of its tickets and users. It is fed
//! from the semantic event log: after every write ([`crate::store::Account::write`]) the records
//! that the new events touch are re-extracted ([`document`]) and staged, visible once the
//! account's `search_lag_seconds` have passed on its virtual clock — Zendesk's index trails
//! writes by minutes, and a tool that verifies an erasure by searching at once must be able to
//! see stale hits. Seeding, a reset, a restored snapshot or a gap in the event log rebuild the
//! index from the store, visible at once (the records existed before the test began).
//!
//! Reading order: [`analyze`] (words) → [`document`] (what is indexed) → [`query`] (the
//! language) → [`eval`] (matching) → [`index`] (positional postings, ranking and lag) →
//! [`brute`] (the reference scan the index is tested and benchmarked against, in
//! `benches/search.rs`).

pub mod analyze;
pub mod brute;
pub mod document;
pub mod eval;
pub mod export;
pub mod index;
pub mod query;
pub mod users;

use super::account::AccountData;
use super::clock::Timestamp;
use super::events::Event;
use super::{Caller, Id};
use crate::error::ApiResult;
use document::{Attrs, Doc, DocKey};
use eval::Plan;
use query::{Query, SortField};

pub use index::{IndexStats, SearchIndex};

/// A search result: the record, and its creation time (what export pages by).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub key: DocKey,
    pub created_at: Timestamp,
}

impl Hit {
    fn of(doc: &Doc) -> Self {
        Self {
            key: doc.key,
            created_at: doc.created_at,
        }
    }
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    /// `None`: relevance.
    pub field: Option<SortField>,
    pub descending: bool,
}

impl Order {
    /// The order a request asks for: `sort_by`/`sort_order` parameters, else `order_by:`/`sort:`
    /// in the query, else relevance, descending (facts §7).
    pub fn of(query: &Query, sort_by: Option<&str>, sort_order: Option<&str>) -> Self {
        let field = sort_by.and_then(SortField::parse).or(query.order_by);
        let descending = match sort_order.map(str::to_lowercase).as_deref() {
            Some("asc") => false,
            Some("desc") => true,
            _ => query.descending.unwrap_or(true),
        };
        Self { field, descending }
    }
}

/// The records an event may have changed, for the index.
fn touched(event: &Event) -> Option<DocKey> {
    use Event::*;
    match *event {
        UserCreated { user_id }
        | UserUpdated { user_id }
        | UserSuspended { user_id }
        | UserUnsuspended { user_id }
        | UserSoftDeleted { user_id }
        | UserPermanentlyDeleted { user_id }
        | IdentityCreated { user_id, .. }
        | IdentityUpdated { user_id, .. }
        | IdentityDeleted { user_id, .. }
        | IdentityMadePrimary { user_id, .. }
        | IdentityVerified { user_id, .. }
        | VerificationRequested { user_id, .. } => Some(DocKey::User(user_id)),
        TicketCreated { ticket_id }
        | TicketUpdated { ticket_id }
        | TicketStatusChanged { ticket_id, .. }
        | CommentAdded { ticket_id, .. }
        | CommentMadePrivate { ticket_id, .. }
        | CommentRedacted { ticket_id, .. }
        | AttachmentRedacted { ticket_id, .. }
        | TicketSoftDeleted { ticket_id }
        | TicketRestored { ticket_id }
        | TicketPermanentlyDeleted { ticket_id }
        | SuspendedTicketRecovered { ticket_id, .. } => Some(DocKey::Ticket(ticket_id)),
        AttachmentUploaded { .. }
        | TicketSuspended { .. }
        | SuspendedTicketDeleted { .. }
        | JobQueued { .. }
        | JobCompleted { .. }
        | AccountReset
        | WorldSeeded => None,
    }
}

impl AccountData {
    /// Takes in the writes since the last call: called after every write to the account, and
    /// before every search. Records touched by new events are extracted now (their state as of
    /// this write) and staged to appear after the account's search lag.
    pub(crate) fn sync_search(&mut self) {
        let next = self.events.next_seq();
        if self.search.seen_seq.is_some_and(|seen| seen + 1 == next) {
            return;
        }
        let seen = self.search.seen_seq.unwrap_or(0);
        let fresh: Vec<&Event> = self.events.after(seen).map(|r| &r.event).collect();
        // Never synced, or entries dropped (a bounded log overflowed, or was cleared): rebuild.
        let lost =
            self.search.seen_seq.is_none() || fresh.len() as u64 != (next - 1).saturating_sub(seen);
        let rebuild = lost
            || fresh
                .iter()
                .any(|e| matches!(e, Event::AccountReset | Event::WorldSeeded));
        let mut keys: Vec<DocKey> = Vec::new();
        if !rebuild {
            for key in fresh.into_iter().filter_map(touched) {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        self.search.seen_seq = Some(next - 1);
        if rebuild {
            // Extracted one record at a time: materializing every record's text first and
            // freeing it while the lists grow leaves the heap riddled with holes, which made
            // every later request's allocations (rendering JSON) twice as slow.
            let mut index = std::mem::take(&mut self.search);
            index.rebuild(self.search_docs());
            self.search = index;
            return;
        }
        let now = self.now();
        let due = now.saturating_add(self.settings.search_lag_seconds as i64);
        for key in keys {
            let doc = self.search_doc(key);
            self.search.stage(key, doc, due, now);
        }
    }

    /// Brings the index up to this moment: takes in pending writes and makes visible what the
    /// lag no longer hides.
    pub(crate) fn search_index(&mut self) -> &SearchIndex {
        self.sync_search();
        let now = self.now();
        self.search.catch_up(now);
        &self.search
    }

    /// Runs `query` for an agent: the matching records, in `order`. End users may not search.
    pub fn search(&mut self, caller: &Caller, query: &Query, order: Order) -> ApiResult<Vec<Hit>> {
        Ok(self.search_page(caller, query, order, usize::MAX)?.1)
    }

    /// How many records `query` matches, and the first `first` of them in `order`: a page of
    /// results needs every match counted but only those up to its end ranked.
    pub fn search_page(
        &mut self,
        caller: &Caller,
        query: &Query,
        order: Order,
        first: usize,
    ) -> ApiResult<(usize, Vec<Hit>)> {
        caller.require_staff()?;
        let index = self.search_index();
        let plan = Plan::new(
            query,
            caller.user_id,
            || Box::new(index.user_docs()),
            analyze::holds_run,
        );
        let (count, top) = index.ranked(&plan, order, first);
        Ok((count, top.into_iter().map(Hit::of).collect()))
    }

    /// The number of records `query` matches.
    pub fn search_count(&mut self, caller: &Caller, query: &Query) -> ApiResult<usize> {
        caller.require_staff()?;
        let index = self.search_index();
        let plan = Plan::new(
            query,
            caller.user_id,
            || Box::new(index.user_docs()),
            analyze::holds_run,
        );
        Ok(index.count(&plan))
    }
}

impl AccountData {
    /// Rebuilds the index from the store now, as seeding does (the search benchmark times it).
    pub fn rebuild_search_index(&mut self) {
        self.search.seen_seq = None;
        self.sync_search();
    }

    /// The size of the index as it stands (the search benchmark reports it).
    pub fn search_index_stats(&self) -> IndexStats {
        self.search.stats()
    }

    /// The ticket behind a search hit, whatever its state now.
    pub fn search_hit_ticket(&self, id: Id) -> Option<&super::tickets::Ticket> {
        self.tickets.get(&id)
    }

    /// The user behind a search hit, whatever its state now.
    pub fn search_hit_user(&self, id: Id) -> Option<&super::users::User> {
        self.users.get(&id)
    }
}

/// Sorts results. Relevance (INFERRED: Zendesk does not publish its scoring) ranks records
/// whose subject or name holds a searched term first, then the most recently updated.
/// Sorting by a ticket attribute puts users last; ties fall back to the id (then tickets before
/// users).
pub fn sort(found: &mut [&Doc], query: &Query, order: Order) {
    let strong = StrongTerms::of(query);
    let keyed = found.iter().map(|doc| {
        let key = sort_key(
            order,
            strong.hits(doc),
            doc.key,
            (doc.created_at, doc.updated_at),
            || &doc.attrs,
        );
        (key, *doc)
    });
    let sorted = first_in_order(keyed, usize::MAX);
    found.copy_from_slice(&sorted);
}

/// Where a record sorts, ascending: [`sort`]'s order with the direction applied.
pub type SortKey = (i64, i64, Id, DocKey);

/// A record's [`SortKey`]: `strong` is how many query terms its subject or name holds
/// (`StrongTerms::hits`); `attrs` are read only to sort by a ticket attribute.
pub fn sort_key<'a>(
    order: Order,
    strong: i64,
    key: DocKey,
    (created_at, updated_at): (Timestamp, Timestamp),
    attrs: impl FnOnce() -> &'a Attrs,
) -> SortKey {
    let rank = match order.field {
        None => (strong, updated_at),
        Some(SortField::CreatedAt) => (0, created_at),
        Some(SortField::UpdatedAt) => (0, updated_at),
        Some(field) => match (field, attrs()) {
            (SortField::Status, Attrs::Ticket { status, .. }) => (1, *status as i64),
            (SortField::Priority, Attrs::Ticket { priority, .. }) => {
                (1, priority.map_or(-1, i64::from))
            }
            (SortField::TicketType, Attrs::Ticket { ticket_type, .. }) => (
                1,
                ticket_type.as_deref().map_or(-1, |t| {
                    document::TICKET_TYPES
                        .iter()
                        .position(|x| *x == t)
                        .map_or(4, |p| p as i64)
                }),
            ),
            (_, _) => (0, i64::MIN),
        },
    };
    let id = match key {
        DocKey::Ticket(id) | DocKey::User(id) => id,
    };
    // `!x` reverses the order of i64s without overflowing.
    if order.descending || order.field.is_none() {
        (!rank.0, !rank.1, id, key)
    } else {
        (rank.0, rank.1, id, key)
    }
}

/// The `first` items of lowest key, in key order. A short page is picked with a bounded heap,
/// without ordering the rest.
pub fn first_in_order<T>(found: impl Iterator<Item = (SortKey, T)>, first: usize) -> Vec<T> {
    use std::collections::BinaryHeap;
    let ranked = |(key, item): (SortKey, T)| Ranked { key, item };
    if first == 0 {
        return Vec::new();
    }
    if first > HEAP_PAGE {
        let mut all: Vec<Ranked<T>> = found.map(ranked).collect();
        all.sort_unstable();
        return all.into_iter().take(first).map(|r| r.item).collect();
    }
    let mut best: BinaryHeap<Ranked<T>> = BinaryHeap::with_capacity(first + 1);
    for item in found.map(ranked) {
        if best.len() < first {
            best.push(item);
        } else if let Some(mut worst) = best.peek_mut()
            && item.key < worst.key
        {
            *worst = item;
        }
    }
    best.into_sorted_vec().into_iter().map(|r| r.item).collect()
}

/// Pages up to this long are picked with a heap; longer ones by sorting everything.
const HEAP_PAGE: usize = 4_096;

/// An item ordered by its key alone (keys are unique: they end with the record's key).
struct Ranked<T> {
    key: SortKey,
    item: T,
}

impl<T> PartialEq for Ranked<T> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl<T> Eq for Ranked<T> {}

impl<T> PartialOrd for Ranked<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Ranked<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

/// What relevance looks for in the text: the query's positive text clauses, each as the pattern
/// [`analyze::holds_run`] searches a subject or name for, or (a bare number) a ticket's id.
struct StrongTerms {
    clauses: Vec<(Option<Id>, Option<String>)>,
}

impl StrongTerms {
    fn of(query: &Query) -> Self {
        let clauses = query
            .clauses
            .iter()
            .filter(|c| !c.negated)
            .filter_map(|c| match &c.pred {
                query::Pred::Text(text) => Some((
                    text.ticket_id,
                    analyze::run_pattern(&text.words, text.prefix),
                )),
                _ => None,
            })
            .collect();
        Self { clauses }
    }

    /// How many of the clauses the record's subject or name satisfies, or its id.
    fn hits(&self, doc: &Doc) -> i64 {
        use document::Field;
        if self.clauses.is_empty() {
            return 0;
        }
        let subject = doc.field(Field::Subject);
        let name = doc.field(Field::Name);
        self.clauses
            .iter()
            .filter(|(ticket_id, pattern)| {
                ticket_id.is_some_and(|id| doc.key == DocKey::Ticket(id))
                    || pattern.as_deref().is_some_and(|p| {
                        [subject, name]
                            .into_iter()
                            .flatten()
                            .any(|text| text.contains(p))
                    })
            })
            .count() as i64
    }
}
