//! Rules switched off on purpose — for the conformance suite's mutation tests only.
//!
//! `zendesk-conformance` proves its checks can fail by breaking one rule at a time and
//! showing the matching check fails. Each [`BrokenRule`] is read by one `if` at its rule's
//! site. The set lives in [`super::Settings::broken`], which is never read from nor written to
//! JSON: no HTTP call (settings, snapshots, state files) can switch a rule off; only Rust code
//! holding the account can, e.g. `server.settings_mut(|s| s.broken.insert(rule))`.

use std::collections::BTreeSet;

/// A rule that can be switched off.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BrokenRule {
    /// Users requesting unclosed tickets can be deleted.
    DeleteGuard,
    /// The account owner can be deleted.
    OwnerProtection,
    /// Agents can delete other agents.
    AgentDeletesEndUsersOnly,
    /// A soft delete keeps the user's identities taken.
    FreeIdentitiesOnSoftDelete,
    /// Active users can be permanently deleted.
    PermanentDeleteNeedsSoftDelete,
    /// A permanently deleted user keeps their name.
    PlaceholderName,
    /// Closed tickets accept updates.
    ClosedTicketUpdate,
    /// Tickets can be created for suspended requesters.
    SuspendedRequester,
    /// The legacy redaction works on closed tickets.
    LegacyRedactionRefusesClosed,
    /// The legacy redaction writes `*` instead of ▇.
    RedactionBlocks,
    /// Identity values can be shared between users.
    UniqueIdentities,
    /// tickets/create_many takes more than 100 tickets.
    BulkLimit,
}

/// The rules an account has switched off (normally none).
#[doc(hidden)]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrokenRules(BTreeSet<BrokenRule>);

impl BrokenRules {
    /// Switches `rule` off.
    pub fn insert(&mut self, rule: BrokenRule) {
        self.0.insert(rule);
    }

    /// Whether `rule` is switched off.
    pub fn contains(&self, rule: BrokenRule) -> bool {
        self.0.contains(&rule)
    }
}

impl super::AccountData {
    /// Whether the account keeps `rule`: always, unless a mutation test switched it off.
    #[doc(hidden)]
    pub fn keeps(&self, rule: BrokenRule) -> bool {
        !self.settings.broken.contains(rule)
    }
}
