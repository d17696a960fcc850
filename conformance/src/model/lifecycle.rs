//! What a live account does on its own schedule (facts §3.4, §4.3; design.md "Time, jobs and
//! lifecycle"): soft-deleted users are permanently deleted, and soft-deleted tickets scrubbed,
//! [`Rules::purge_after_days`](super::state::Rules) after the soft delete; solved tickets close
//! [`Rules::solved_to_closed_days`](super::state::Rules) after they were solved. A task falls
//! due at that instant exactly, so an advance that reaches it runs it.
//!
//! The tasks touch disjoint things (a deleted user, a deleted ticket, a live solved ticket),
//! so running every task due by the end of an advance, in any order, is what running them at
//! their own instants would give.

use super::state::{DAY, Model, Status, TicketState, UserState};
use super::views::Response;

impl Model {
    /// `POST /__mock/clock/advance {"days"}`.
    pub(super) fn advance(&mut self, days: i64) -> Response {
        let target = self.now + days * DAY;
        let purge = self.rules.purge_after_days * DAY;
        let close = self.rules.solved_to_closed_days * DAY;
        let purged: Vec<usize> = (0..self.users.len())
            .filter(|&p| {
                matches!(self.users[p].state, UserState::SoftDeleted { at } if at + purge <= target)
            })
            .collect();
        for user in purged {
            self.scrub_user(user);
        }
        for t in &mut self.tickets {
            match t.state {
                TicketState::SoftDeleted { at } if at + purge <= target => {
                    t.state = TicketState::Deleted;
                }
                TicketState::Active
                    if t.status == Status::Solved
                        && t.solved_at.is_some_and(|at| at + close <= target) =>
                {
                    t.status = Status::Closed;
                }
                _ => {}
            }
        }
        self.now = target;
        Response::ClockMoved
    }
}
