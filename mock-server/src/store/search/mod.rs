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
//! language) → [`eval`] (matching) → [`index`] (postings and lag) → [`brute`] (the reference
//! scan the index is tested and benchmarked against).

pub mod analyze;
pub mod brute;
pub mod document;
pub mod eval;
pub mod export;
pub mod index;
pub mod query;
pub mod users;

use super::account::AccountData;
use super::events::Event;
use super::{Caller, Id};
use crate::error::ApiResult;
use document::{Attrs, Doc, DocKey};
use eval::Plan;
use query::{Query, SortField};

pub use index::SearchIndex;

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
        let seen = self.search.seen_seq;
        let next = self.events.next_seq();
        if seen != 0 && seen + 1 == next {
            return;
        }
        let fresh: Vec<&Event> = self
            .events
            .iter()
            .filter(|r| r.seq > seen)
            .map(|r| &r.event)
            .collect();
        // Never synced, or entries dropped (a bounded log overflowed, or was cleared): rebuild.
        let lost = seen == 0 || fresh.len() as u64 != (next - 1).saturating_sub(seen);
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
        self.search.seen_seq = next - 1;
        if rebuild {
            let docs = self.all_search_docs();
            self.search.rebuild(docs);
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
    pub fn search(&mut self, caller: &Caller, query: &Query, order: Order) -> ApiResult<Vec<Doc>> {
        caller.require_staff()?;
        let index = self.search_index();
        let plan = Plan::new(
            query,
            caller.user_id,
            || Box::new(index.docs()),
            analyze::holds_run,
        );
        let mut found: Vec<&Doc> = index.matching(&plan);
        sort(&mut found, query, order);
        Ok(found.into_iter().cloned().collect())
    }

    /// The number of records `query` matches.
    pub fn search_count(&mut self, caller: &Caller, query: &Query) -> ApiResult<usize> {
        caller.require_staff()?;
        let index = self.search_index();
        let plan = Plan::new(
            query,
            caller.user_id,
            || Box::new(index.docs()),
            analyze::holds_run,
        );
        Ok(index.matching(&plan).len())
    }
}

impl AccountData {
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
/// Sorting by a ticket attribute puts users last; ties fall back to the id.
pub fn sort(found: &mut [&Doc], query: &Query, order: Order) {
    use std::cmp::Reverse;
    let rank = |doc: &Doc| -> (i64, i64) {
        match (order.field, &doc.attrs) {
            (None, _) => (strong_hits(doc, query), doc.updated_at),
            (Some(SortField::CreatedAt), _) => (0, doc.created_at),
            (Some(SortField::UpdatedAt), _) => (0, doc.updated_at),
            (Some(SortField::Status), Attrs::Ticket { status, .. }) => (1, *status as i64),
            (Some(SortField::Priority), Attrs::Ticket { priority, .. }) => {
                (1, priority.map_or(-1, i64::from))
            }
            (Some(SortField::TicketType), Attrs::Ticket { ticket_type, .. }) => (
                1,
                ticket_type.as_deref().map_or(-1, |t| {
                    ["question", "incident", "problem", "task"]
                        .iter()
                        .position(|x| *x == t)
                        .map_or(4, |p| p as i64)
                }),
            ),
            (Some(_), Attrs::User { .. }) => (0, i64::MIN),
        }
    };
    let id = |doc: &Doc| match doc.key {
        DocKey::Ticket(id) | DocKey::User(id) => id,
    };
    if order.descending || order.field.is_none() {
        found.sort_by_key(|d| (Reverse(rank(d)), id(d)));
    } else {
        found.sort_by_key(|d| (rank(d), id(d)));
    }
}

/// How many of the query's positive text clauses a record's subject or name satisfies, or
/// (a bare number) its id.
fn strong_hits(doc: &Doc, query: &Query) -> i64 {
    use document::Field;
    query
        .clauses
        .iter()
        .filter(|c| !c.negated)
        .filter(|c| match &c.pred {
            query::Pred::Text(text) => {
                text.ticket_id
                    .is_some_and(|id| doc.key == DocKey::Ticket(id))
                    || [Field::Subject, Field::Name].into_iter().any(|f| {
                        doc.field(f)
                            .is_some_and(|t| analyze::holds_run(t, &text.words, text.prefix))
                    })
            }
            _ => false,
        })
        .count() as i64
}
