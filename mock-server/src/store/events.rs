//! The semantic event log: one typed entry per successful write, so a test can assert *what
//! happened* (a user soft-deleted, then permanently deleted) rather than reverse-engineer it from
//! requests. Events carry ids only, never personal data, so the log itself is never residue.

use super::Id;
use super::clock::{Timestamp, iso8601};
use super::tickets::Status;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Something the account did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
pub enum Event {
    UserCreated {
        user_id: Id,
    },
    UserUpdated {
        user_id: Id,
    },
    UserSuspended {
        user_id: Id,
    },
    UserUnsuspended {
        user_id: Id,
    },
    UserSoftDeleted {
        user_id: Id,
    },
    UserPermanentlyDeleted {
        user_id: Id,
    },
    IdentityCreated {
        user_id: Id,
        identity_id: Id,
    },
    IdentityUpdated {
        user_id: Id,
        identity_id: Id,
    },
    IdentityDeleted {
        user_id: Id,
        identity_id: Id,
    },
    IdentityMadePrimary {
        user_id: Id,
        identity_id: Id,
    },
    IdentityVerified {
        user_id: Id,
        identity_id: Id,
    },
    VerificationRequested {
        user_id: Id,
        identity_id: Id,
    },
    TicketCreated {
        ticket_id: Id,
    },
    TicketUpdated {
        ticket_id: Id,
    },
    TicketStatusChanged {
        ticket_id: Id,
        from: Status,
        to: Status,
    },
    CommentAdded {
        ticket_id: Id,
        comment_id: Id,
    },
    CommentMadePrivate {
        ticket_id: Id,
        comment_id: Id,
    },
    CommentRedacted {
        ticket_id: Id,
        comment_id: Id,
    },
    AttachmentUploaded {
        attachment_id: Id,
    },
    AttachmentRedacted {
        ticket_id: Id,
        attachment_id: Id,
    },
    TicketSoftDeleted {
        ticket_id: Id,
    },
    TicketRestored {
        ticket_id: Id,
    },
    TicketPermanentlyDeleted {
        ticket_id: Id,
    },
    TicketSuspended {
        suspended_ticket_id: Id,
        author_id: Id,
    },
    SuspendedTicketRecovered {
        suspended_ticket_id: Id,
        ticket_id: Id,
    },
    SuspendedTicketDeleted {
        suspended_ticket_id: Id,
    },
    JobQueued {
        job_id: String,
        job_type: String,
    },
    JobCompleted {
        job_id: String,
        job_type: String,
    },
    AccountReset,
    WorldSeeded,
}

/// An event with its sequence number and the account-clock time it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    pub seq: u64,
    pub at: Timestamp,
    #[serde(flatten)]
    pub event: Event,
}

impl Recorded {
    /// The control API's rendering: `{"seq","at","type",...fields}` with an ISO time.
    pub fn to_json(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        value["at"] = serde_json::Value::String(iso8601(self.at));
        value
    }
}

/// A bounded, oldest-first log. When full, the oldest entries are dropped; `seq` keeps counting,
/// so a reader can tell that entries were lost.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventLog {
    entries: VecDeque<Recorded>,
    next_seq: u64,
    capacity: usize,
}

impl EventLog {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            next_seq: 1,
            capacity: capacity.max(1),
        }
    }

    /// A log holding `entries` (oldest first) that numbers the next one `next_seq`, bounded to
    /// `capacity` (the oldest beyond it dropped): a log read back from a snapshot.
    pub(crate) fn restored(entries: Vec<Recorded>, next_seq: u64, capacity: usize) -> Self {
        let capacity = capacity.max(1);
        let skip = entries.len().saturating_sub(capacity);
        Self {
            entries: entries.into_iter().skip(skip).collect(),
            next_seq,
            capacity,
        }
    }

    /// The `seq` the next entry gets.
    pub(crate) fn next_seq(&self) -> u64 {
        self.next_seq
    }

    pub fn push(&mut self, at: Timestamp, event: Event) {
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(Recorded {
            seq: self.next_seq,
            at,
            event,
        });
        self.next_seq += 1;
    }

    pub fn iter(&self) -> impl Iterator<Item = &Recorded> {
        self.entries.iter()
    }

    /// The entries numbered after `seq`, oldest first: a binary search, as entries are kept in
    /// ascending `seq` (the search index asks after every write).
    pub fn after(&self, seq: u64) -> impl Iterator<Item = &Recorded> {
        let start = self.entries.partition_point(|r| r.seq <= seq);
        self.entries.range(start..)
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_oldest_when_full_and_keeps_counting() {
        let mut log = EventLog::with_capacity(2);
        for user_id in 1..=3 {
            log.push(0, Event::UserCreated { user_id });
        }
        let seqs: Vec<u64> = log.iter().map(|r| r.seq).collect();
        assert_eq!(seqs, vec![2, 3]);
    }

    #[test]
    fn after_finds_the_entries_numbered_later_even_once_the_oldest_are_dropped() {
        let mut log = EventLog::with_capacity(3);
        for user_id in 1..=5 {
            log.push(0, Event::UserCreated { user_id });
        }
        let after = |seq| log.after(seq).map(|r| r.seq).collect::<Vec<u64>>();
        assert_eq!(after(0), vec![3, 4, 5]);
        assert_eq!(after(3), vec![4, 5]);
        assert_eq!(after(5), Vec::<u64>::new());
        assert_eq!(after(9), Vec::<u64>::new());
    }

    #[test]
    fn renders_type_and_iso_time() {
        let mut log = EventLog::with_capacity(4);
        log.push(1_695_079_691, Event::UserSoftDeleted { user_id: 7 });
        let json = log.iter().next().unwrap().to_json();
        assert_eq!(json["type"], "UserSoftDeleted");
        assert_eq!(json["user_id"], 7);
        assert_eq!(json["at"], "2023-09-18T23:28:11Z");
    }
}
