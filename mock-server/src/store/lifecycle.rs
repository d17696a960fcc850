//! What a live account does on its own schedule (design.md "Time, jobs and lifecycle"):
//!
//! | after | what | source |
//! | --- | --- | --- |
//! | 30 days soft-deleted | the user is permanently deleted (same operation and events as the API's) | HC:5007485121562 |
//! | 30 days soft-deleted | the ticket is scrubbed (permanently deleted) | facts §4.3 |
//! | `solved_to_closed_days` (default 4) solved | the ticket closes (Zendesk's default automation) | design.md |
//! | 1 day finished | the job status expires | facts §6 (current docs) |
//!
//! Moving the clock forward runs, in time order, everything that fell due in between; each
//! task runs with the clock standing at the instant it fell due, so the timestamps it writes
//! are the ones a live account would show.

use super::Id;
use super::account::AccountData;
use super::clock::{Clock, Timestamp, iso8601};
use super::comments::{AuditEvent, Change};
use super::events::Event;
use super::jobs::JobState;
use super::tickets::{Status, TicketState};
use super::users::Lifecycle;
use serde::Serialize;
use serde_json::json;

const DAY: i64 = 86_400;
/// Soft-deleted users and tickets are purged after this long.
pub const PURGE_AFTER: i64 = 30 * DAY;
/// Finished job statuses are kept this long.
pub const JOB_RETENTION: i64 = DAY;
/// The user id Zendesk writes as the author of automation changes.
pub const SYSTEM_AUTHOR: Id = -1;

/// A scheduled task.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Task {
    PurgeUser(Id),
    ScrubTicket(Id),
    CloseSolved(Id),
    ExpireJob(String),
}

/// A task that ran, as the control API reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ran {
    pub at: String,
    pub task: &'static str,
    pub id: String,
}

impl AccountData {
    /// Moves the clock to `target` (never backwards through schedules: moving back runs
    /// nothing), running every task due up to it. The clock keeps its mode: a frozen clock
    /// stays frozen at `target`, a running one runs on from it.
    pub fn move_clock(&mut self, target: Timestamp, frozen: bool) -> Vec<Ran> {
        let ran = self.run_due(target);
        self.clock = if frozen {
            Clock::frozen(target)
        } else {
            Clock {
                offset_seconds: target - Clock::default().now(),
                frozen_at: None,
            }
        };
        ran
    }

    /// Runs what is due at the current time (for a running clock, real time passes too).
    pub fn catch_up(&mut self) -> Vec<Ran> {
        let now = self.now();
        let clock = self.clock.clone();
        let ran = self.run_due(now);
        self.clock = clock;
        ran
    }

    fn run_due(&mut self, target: Timestamp) -> Vec<Ran> {
        let mut ran = Vec::new();
        while let Some((at, task)) = self.next_due(target) {
            // The task runs at the instant it fell due (or now, if that was before now).
            let at = at.max(self.now().min(target));
            self.clock = Clock::frozen(at);
            if let Some(done) = self.run_task(&task) {
                ran.push(Ran {
                    at: iso8601(at),
                    task: done.0,
                    id: done.1,
                });
            }
        }
        ran
    }

    /// The earliest task due at or before `until`.
    fn next_due(&self, until: Timestamp) -> Option<(Timestamp, Task)> {
        let users = self.users.values().filter_map(|u| match u.lifecycle {
            Lifecycle::SoftDeleted { at } => Some((at + PURGE_AFTER, Task::PurgeUser(u.id))),
            _ => None,
        });
        let tickets = self.tickets.values().filter_map(|t| match t.state {
            TicketState::SoftDeleted { at, .. } => {
                Some((at + PURGE_AFTER, Task::ScrubTicket(t.id)))
            }
            TicketState::Active => None,
        });
        let closing = self
            .settings
            .solved_to_closed_days
            .map(|days| i64::from(days) * DAY);
        let solved = self.tickets.values().filter_map(|t| {
            let delay = closing?;
            (t.is_active() && t.status == Status::Solved).then(|| {
                (
                    t.solved_at.unwrap_or(t.updated_at) + delay,
                    Task::CloseSolved(t.id),
                )
            })
        });
        let jobs = self.jobs.values().filter_map(|j| {
            let done = j
                .completed_at
                .filter(|_| matches!(j.state, JobState::Completed | JobState::Failed))?;
            Some((done + JOB_RETENTION, Task::ExpireJob(j.id.clone())))
        });
        users
            .chain(tickets)
            .chain(solved)
            .chain(jobs)
            .filter(|(at, _)| *at <= until)
            .min()
    }

    /// Runs one task; returns its report, or `None` if it no longer applied.
    fn run_task(&mut self, task: &Task) -> Option<(&'static str, String)> {
        match task {
            Task::PurgeUser(id) => {
                let Lifecycle::SoftDeleted { at } = self.users.get(id)?.lifecycle else {
                    return None;
                };
                self.scrub_user(*id, at).ok()?;
                Some(("user_purged", id.to_string()))
            }
            Task::ScrubTicket(id) => {
                self.scrub_ticket(*id);
                Some(("ticket_scrubbed", id.to_string()))
            }
            Task::CloseSolved(id) => {
                self.close_by_automation(*id);
                Some(("ticket_closed", id.to_string()))
            }
            Task::ExpireJob(id) => {
                self.jobs.remove(id)?;
                Some(("job_expired", id.clone()))
            }
        }
    }

    /// The "close solved tickets" automation: status closed, audited as the system.
    fn close_by_automation(&mut self, id: Id) {
        let now = self.now();
        let Some(ticket) = self.tickets.get_mut(&id) else {
            return;
        };
        ticket.status = Status::Closed;
        ticket.updated_at = now;
        let change = AuditEvent::Change(Box::new(Change {
            field: "status".into(),
            value: json!(Status::Closed.as_str()),
            previous_value: json!(Status::Solved.as_str()),
        }));
        let audit_id = self.ids.next_id();
        self.record_audit(audit_id, id, SYSTEM_AUTHOR, vec![change]);
        self.events.push(
            now,
            Event::TicketStatusChanged {
                ticket_id: id,
                from: Status::Solved,
                to: Status::Closed,
            },
        );
    }
}
