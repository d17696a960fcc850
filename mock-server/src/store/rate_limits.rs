//! Rate limits (facts §12): the account-wide per-minute limit of the plan, and the endpoint
//! limits privacy tooling runs into. Off by default; switched on per account
//! (`rate_limits` setting). Windows run on the account's virtual clock, so a test can advance
//! past them instead of waiting.
//!
//! | rule | limit | window | 429 body |
//! | --- | --- | --- | --- |
//! | account | plan: Team 200 … Enterprise 700, High Volume 2500 | 1 min | text/plain "Number of allowed API requests per minute exceeded" (INFERRED text, facts §12) |
//! | `DELETE /deleted_users/{id}` | 700 | 10 min | same |
//! | `DELETE /tickets/{id}`, `/tickets/destroy_many` | 400 | 1 min | same |
//! | `GET /deleted_tickets` | 10 | 1 min | same |
//! | `GET /search/export` | 100 | 1 min | same |
//! | `GET /incremental/…` | 10 | 1 min | same |
//! | `GET /incremental/{resource}/sample` (instead of the above) | 10 | 20 min | same |
//! | `PUT /tickets/{id}` | 30 per user per ticket | 10 min | text/html "Rate limit for ticket updates exceeded, please wait before updating this ticket again" (documented) |
//! | bulk calls that queue a job | 30 jobs queued or running | while they run | text/plain (INFERRED text), `Retry-After: 10` |
//!
//! Every 429 carries `Retry-After`: the seconds until the window that refused it resets.

use super::Id;
use super::clock::Timestamp;
use std::collections::HashMap;

/// The account-wide text, and the ticket-update text from the rate-limits doc.
pub const ACCOUNT_LIMIT_TEXT: &str = "Number of allowed API requests per minute exceeded";
pub const TICKET_UPDATE_LIMIT_TEXT: &str =
    "Rate limit for ticket updates exceeded, please wait before updating this ticket again";

/// Jobs queued or running at once when limits are on ("about 30", facts §12).
pub const MAX_ACTIVE_JOBS: usize = 30;
/// The job-limit text (INFERRED: the docs name the limit, not its message).
pub const JOB_LIMIT_TEXT: &str =
    "Too many jobs are queued or running for this account, please wait before queuing more";

/// Which limit refused a request: it decides the 429's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The account-wide and endpoint limits: plain text.
    Requests,
    /// Updates of one ticket by one user: HTML, as documented.
    TicketUpdates,
    /// The queued-jobs limit: plain text.
    Jobs,
}

impl Limit {
    pub fn text(self) -> &'static str {
        match self {
            Self::Requests => ACCOUNT_LIMIT_TEXT,
            Self::TicketUpdates => TICKET_UPDATE_LIMIT_TEXT,
            Self::Jobs => JOB_LIMIT_TEXT,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::TicketUpdates => "text/html; charset=utf-8",
            Self::Requests | Self::Jobs => "text/plain; charset=utf-8",
        }
    }
}

/// A fixed window: requests counted since `start`.
#[derive(Debug, Clone, Copy, Default)]
struct Window {
    start: Timestamp,
    used: u32,
}

/// One limit that applies to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Which counter: the rule's name plus its scope (e.g. a user and a ticket).
    pub key: String,
    pub limit: u32,
    pub window: i64,
    /// The ticket-update limit answers in HTML with its own text.
    pub ticket_update: bool,
}

/// How a request stands against the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The account-wide counter after this request: (limit, remaining, seconds to reset).
    pub account: (u32, u32, i64),
    /// The per-ticket-update counter, for its `zendesk-ratelimit-per-ticket-updates` header.
    pub ticket_updates: Option<(u32, u32, i64)>,
    /// Set when a rule refuses the request: (retry after, that rule).
    pub refused: Option<(i64, Rule)>,
}

/// The counters of one account.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: HashMap<String, Window>,
}

impl RateLimiter {
    /// Counts a request against the account window and the rules that apply; when `enforce` is
    /// off nothing is refused (the headers still report the account counter).
    pub fn check(
        &mut self,
        now: Timestamp,
        account_limit: u32,
        rules: &[Rule],
        enforce: bool,
    ) -> Verdict {
        let account_rule = Rule {
            key: "account".to_owned(),
            limit: account_limit,
            window: 60,
            ticket_update: false,
        };
        let mut refused = None;
        let mut ticket_updates = None;
        if enforce {
            for rule in rules {
                let (limit, used, reset) = self.peek(&rule.key, now, rule.window, rule.limit);
                if used >= limit && refused.is_none() {
                    refused = Some((reset, rule.clone()));
                }
            }
            let (limit, used, reset) = self.peek(&account_rule.key, now, 60, account_limit);
            if used >= limit && refused.is_none() {
                refused = Some((reset, account_rule.clone()));
            }
        }
        let account = if refused.is_none() {
            for rule in rules {
                let counted = self.count(&rule.key, now, rule.window, rule.limit);
                if rule.ticket_update {
                    ticket_updates = Some(counted);
                }
            }
            self.count(&account_rule.key, now, 60, account_limit)
        } else {
            let (limit, used, reset) = self.peek(&account_rule.key, now, 60, account_limit);
            (limit, limit.saturating_sub(used), reset)
        };
        Verdict {
            account,
            ticket_updates,
            refused,
        }
    }

    /// (limit, used, seconds to reset) without counting.
    fn peek(&mut self, key: &str, now: Timestamp, window: i64, limit: u32) -> (u32, u32, i64) {
        let slot = self.windows.entry(key.to_owned()).or_default();
        if now >= slot.start + window || now < slot.start {
            *slot = Window {
                start: now - now.rem_euclid(window),
                used: 0,
            };
        }
        (limit, slot.used, (slot.start + window - now).max(1))
    }

    /// Counts one request; returns (limit, remaining, seconds to reset).
    fn count(&mut self, key: &str, now: Timestamp, window: i64, limit: u32) -> (u32, u32, i64) {
        let (limit, _, reset) = self.peek(key, now, window, limit);
        let slot = self.windows.entry(key.to_owned()).or_default();
        slot.used = slot.used.saturating_add(1);
        (limit, limit.saturating_sub(slot.used), reset)
    }

    /// Forgets every counter (account reset).
    pub fn clear(&mut self) {
        self.windows.clear();
    }
}

/// The endpoint rules for a request (`path` without `.json`).
pub fn rules_for(method: &str, path: &str, user_id: Option<Id>) -> Vec<Rule> {
    let segments: Vec<&str> = path.trim_start_matches("/api/v2/").split('/').collect();
    let rule = |key: &str, limit: u32, window: i64| Rule {
        key: key.to_owned(),
        limit,
        window,
        ticket_update: false,
    };
    match (method, segments.as_slice()) {
        ("DELETE", ["deleted_users", _]) => vec![rule("permanent_user_deletion", 700, 600)],
        ("DELETE", ["tickets", _]) => vec![rule("ticket_deletion", 400, 60)],
        ("GET", ["deleted_tickets"]) => vec![rule("deleted_tickets_list", 10, 60)],
        ("GET", ["search", "export"]) => vec![rule("search_export", 100, 60)],
        // "More strict …, at 10 requests per 20 minutes instead of 10 requests per minute" (OAS).
        ("GET", ["incremental", _, "sample"]) => vec![rule("incremental_sample", 10, 1200)],
        ("GET", ["incremental", ..]) => vec![rule("incremental_exports", 10, 60)],
        ("PUT", ["tickets", ticket]) if ticket.parse::<Id>().is_ok() => vec![Rule {
            key: format!("ticket_updates:{}:{ticket}", user_id.unwrap_or(0)),
            limit: 30,
            window: 600,
            ticket_update: true,
        }],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_window_refuses_past_its_limit_and_resets_with_the_minute() {
        let mut limiter = RateLimiter::default();
        for n in 0..3 {
            let verdict = limiter.check(120, 3, &[], true);
            assert_eq!(verdict.refused, None, "request {n}");
        }
        let refused = limiter.check(130, 3, &[], true);
        assert_eq!(
            refused.refused.map(|(after, rule)| (after, rule.key)),
            Some((50, "account".to_owned()))
        );
        assert_eq!(
            limiter.check(180, 3, &[], true).refused,
            None,
            "a new minute"
        );
    }

    #[test]
    fn off_means_counted_but_never_refused() {
        let mut limiter = RateLimiter::default();
        for _ in 0..5 {
            assert_eq!(limiter.check(0, 1, &[], false).refused, None);
        }
    }

    #[test]
    fn each_documented_endpoint_limit_applies_to_its_requests_only() {
        let cases = [
            (
                "DELETE",
                "/api/v2/deleted_users/5",
                Some(("permanent_user_deletion", 700, 600)),
            ),
            (
                "DELETE",
                "/api/v2/tickets/5",
                Some(("ticket_deletion", 400, 60)),
            ),
            (
                "GET",
                "/api/v2/deleted_tickets",
                Some(("deleted_tickets_list", 10, 60)),
            ),
            (
                "GET",
                "/api/v2/search/export",
                Some(("search_export", 100, 60)),
            ),
            (
                "GET",
                "/api/v2/incremental/tickets/cursor",
                Some(("incremental_exports", 10, 60)),
            ),
            (
                "GET",
                "/api/v2/incremental/users/sample",
                Some(("incremental_sample", 10, 1200)),
            ),
            ("GET", "/api/v2/deleted_users/5", None),
            ("GET", "/api/v2/tickets/5", None),
            ("PUT", "/api/v2/tickets/update_many", None),
        ];
        for (method, path, expected) in cases {
            let rules = rules_for(method, path, None);
            let got = rules.first().map(|r| (r.key.as_str(), r.limit, r.window));
            assert_eq!(got, expected, "{method} {path}");
        }
    }

    #[test]
    fn ticket_updates_are_counted_per_user_and_ticket() {
        let mut limiter = RateLimiter::default();
        let rules = rules_for("PUT", "/api/v2/tickets/7", Some(1));
        for _ in 0..30 {
            assert_eq!(limiter.check(0, 1000, &rules, true).refused, None);
        }
        let refused = limiter
            .check(1, 1000, &rules, true)
            .refused
            .expect("31st update refused");
        assert!(refused.1.ticket_update);
        let other_user = rules_for("PUT", "/api/v2/tickets/7", Some(2));
        assert_eq!(limiter.check(1, 1000, &other_user, true).refused, None);
    }
}
