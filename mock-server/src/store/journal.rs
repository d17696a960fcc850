//! The request journal: every request an account received, bounded, oldest first. It lets a
//! test ask "did the client poll its job?" or "how many ids did it send?" after the fact.

use super::Id;
use super::clock::{Timestamp, iso8601};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::VecDeque;

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    pub at: Timestamp,
    pub method: String,
    /// Path as sent (with `.json` if the client added it), without the query.
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    /// The authenticated user, if any.
    pub user_id: Option<Id>,
    pub duration_us: u64,
    /// The `Retry-After` seconds the answer carried (a 429, or a 503 that named one).
    pub retry_after: Option<i64>,
    /// The `seq` of the newest event in the account's log when the request was answered (0
    /// when there was none): its own events and every earlier one are at or below it. It
    /// orders requests against events — e.g. whether a job-status poll was answered after the
    /// job completed.
    pub events_seq: u64,
}

impl Entry {
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "seq": self.seq, "at": iso8601(self.at), "method": self.method, "path": self.path,
            "query": self.query, "status": self.status, "user_id": self.user_id,
            "duration_us": self.duration_us, "retry_after": self.retry_after,
            "events_seq": self.events_seq,
        })
    }
}

/// Bounded journal; the oldest entries fall off first.
#[derive(Debug, Clone, Default)]
pub struct Journal {
    entries: VecDeque<Entry>,
    next_seq: u64,
    capacity: usize,
}

impl Journal {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            next_seq: 1,
            capacity,
        }
    }

    /// Appends an entry (its `seq` is assigned here). A zero capacity turns the journal off.
    pub fn record(&mut self, mut entry: Entry) {
        if self.capacity == 0 {
            return;
        }
        if self.entries.len() >= self.capacity {
            self.entries.pop_front();
        }
        entry.seq = self.next_seq;
        self.next_seq += 1;
        self.entries.push_back(entry);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
