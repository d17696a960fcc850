//! Documented-rule checks: one named check per rule of the facts sheet that the server
//! implements. Each carries where the rule comes from ([`Provenance`] and a source), makes
//! its own data through the Zendesk API (so it runs against a real sandbox too), asserts
//! status and body, and leaves nothing behind ([`Ctx::clean_up`]). Checks that need the mock's
//! control API (clock, residue, settings) say so and are skipped without it.
//!
//! One file per area: [`users`], [`deletion`], [`identities`], [`bulk`], [`tickets`],
//! [`deleted_tickets`], [`redaction`], [`suspension`], [`search`] (and the incremental
//! exports), [`api`] (authentication, errors,
//! headers, URLs, paging) and [`lifecycle`] (clock-driven rules and residue).

pub mod api;
pub mod bulk;
pub mod context;
pub mod deleted_tickets;
pub mod deletion;
pub mod expect;
pub mod identities;
pub mod lifecycle;
pub mod redaction;
pub mod search;
pub mod suspension;
pub mod tickets;
pub mod users;

pub use context::{Ctx, Person, TicketRef};
pub use expect::{Failure, Outcome};

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// Where a rule comes from (facts sheet §0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// Zendesk's documentation or OpenAPI description says so.
    Documented,
    /// Seen in traffic recorded against live Zendesk (cassettes, live client specs, issues
    /// quoting real responses).
    Recorded,
    /// Neither: the mock's best guess, labelled as such. A run against a real sandbox shows
    /// whether Zendesk agrees.
    Inferred,
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Documented => "documented",
            Self::Recorded => "recorded",
            Self::Inferred => "inferred",
        })
    }
}

/// The future a check's body returns.
pub type CheckFuture<'a> = Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;

/// A check's body.
pub type RunFn = for<'a> fn(&'a mut Ctx) -> CheckFuture<'a>;

/// One named rule and the code that checks it.
#[derive(Clone, Copy)]
pub struct Check {
    /// `area.subject.rule`, e.g. `users.permanent_delete.requires_soft_delete`.
    pub name: &'static str,
    /// The rule, in one sentence.
    pub rule: &'static str,
    pub provenance: Provenance,
    /// A link, or a facts-sheet section with its source tags.
    pub source: &'static str,
    /// Whether it needs the mock's control API.
    pub needs_control: bool,
    pub run: RunFn,
}

impl fmt::Debug for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Check")
            .field("name", &self.name)
            .field("provenance", &self.provenance)
            .field("needs_control", &self.needs_control)
            .finish_non_exhaustive()
    }
}

/// Declares a [`Check`] whose body is the async fn `$run(ctx: &mut Ctx) -> Outcome`.
macro_rules! check {
    ($name:literal, $provenance:ident, $source:expr, $rule:literal, $run:path) => {
        check!($name, $provenance, $source, $rule, $run, false)
    };
    ($name:literal, $provenance:ident, $source:expr, $rule:literal, $run:path, control) => {
        check!($name, $provenance, $source, $rule, $run, true)
    };
    ($name:literal, $provenance:ident, $source:expr, $rule:literal, $run:path, $control:expr) => {
        $crate::checks::Check {
            name: $name,
            rule: $rule,
            provenance: $crate::checks::Provenance::$provenance,
            source: $source,
            needs_control: $control,
            run: |ctx| Box::pin($run(ctx)),
        }
    };
}
pub(crate) use check;

/// Every check, in the order they run.
pub fn all() -> Vec<Check> {
    [
        users::checks(),
        deletion::checks(),
        identities::checks(),
        bulk::checks(),
        tickets::checks(),
        deleted_tickets::checks(),
        redaction::checks(),
        suspension::checks(),
        search::checks(),
        api::checks(),
        lifecycle::checks(),
    ]
    .concat()
}

/// The checks whose name contains `filter` (all of them without one).
pub fn matching(filter: Option<&str>) -> Vec<Check> {
    all()
        .into_iter()
        .filter(|c| filter.is_none_or(|f| c.name.contains(f)))
        .collect()
}
