//! One Zendesk account: its data behind a single lock, and its request journal.
//!
//! Why one lock for all of an account's data: Zendesk's rules span entities — deleting a user
//! reads its tickets (the closed-ticket guard), a permanent delete rewrites how tickets display
//! their requester, a bulk job touches many users. Per-entity locks would let those rules observe
//! half-applied states; one lock makes every API call atomic. Accounts are independent, so
//! parallel tests (one account each) never contend. Access goes through [`Account::read`] and
//! [`Account::write`], which take closures: a guard can never be held across an `.await`.

use super::attachments::{Attachment, Upload};
use super::clock::{Clock, Timestamp};
use super::comments::{Audit, Comment};
use super::events::EventLog;
use super::faults::Faults;
use super::identities::{Identity, IdentityType};
use super::jobs::Job;
use super::journal::Journal;
use super::rate_limits::{RateLimiter, Rule, Verdict};
use super::search::SearchIndex;
use super::suspended_tickets::SuspendedTicket;
use super::ticket_deletion::TicketRecord;
use super::tickets::Ticket;
use super::users::User;
use super::{Id, OAuthToken};
use parking_lot::{Mutex, MutexGuard, RwLock};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How bulk jobs complete (design.md "Time, jobs and lifecycle").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobMode {
    /// The work is done before the response is sent (the response still says `queued`).
    Immediate,
    /// The work runs on a background task and completes within milliseconds.
    Background,
    /// Jobs stay `queued` until released through the control API.
    Manual,
}

/// Zendesk plans, for the per-minute API limit (facts §12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    Essential,
    Team,
    Growth,
    Professional,
    Enterprise,
    EnterprisePlus,
    HighVolume,
}

impl Plan {
    /// Requests per minute for the account-wide limit.
    pub fn requests_per_minute(self) -> u32 {
        match self {
            Self::Essential => 10,
            Self::Team => 200,
            Self::Growth | Self::Professional => 400,
            Self::Enterprise => 700,
            Self::EnterprisePlus | Self::HighVolume => 2500,
        }
    }
}

/// Per-account settings, changed through `PATCH /__mock/settings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub job_mode: JobMode,
    pub plan: Plan,
    /// Email + password Basic auth; Zendesk removed it on 31 Dec 2025, so it is off by default.
    pub password_auth: bool,
    pub locale: String,
    pub time_zone: String,
    /// "Agents can delete tickets": lets agents delete tickets and redact (facts §5.3).
    pub agents_can_delete_tickets: bool,
    /// `"off"` (the default), or a plan name: enforce that plan's account limit and the
    /// endpoint limits ([`super::rate_limits`]).
    #[serde(with = "rate_limits_setting")]
    pub rate_limits: Option<Plan>,
    /// Days after which a solved ticket closes (Zendesk's default automation: 4); `null` turns
    /// the automation off.
    pub solved_to_closed_days: Option<u32>,
    /// Seconds (account clock) before a write shows in search: Zendesk's index trails writes
    /// by minutes (facts §7). 0, the default, makes every write searchable at once.
    #[serde(default)]
    pub search_lag_seconds: u64,
    /// Rules switched off for mutation tests ([`super::broken`]); never (de)serialized.
    #[doc(hidden)]
    #[serde(skip)]
    pub broken: super::broken::BrokenRules,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            job_mode: JobMode::Background,
            plan: Plan::Enterprise,
            password_auth: false,
            locale: "en-US".to_owned(),
            // The recorded default for new users (zenpy cassettes, 2023).
            time_zone: "America/New_York".to_owned(),
            agents_can_delete_tickets: true,
            solved_to_closed_days: Some(4),
            rate_limits: None,
            search_lag_seconds: 0,
            broken: Default::default(),
        }
    }
}

impl Settings {
    /// The per-minute account limit the headers report and, when on, enforce.
    pub fn account_limit(&self) -> u32 {
        self.rate_limits.unwrap_or(self.plan).requests_per_minute()
    }
}

/// `rate_limits` on the wire: `"off"` or a plan name.
mod rate_limits_setting {
    use super::Plan;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        value: &Option<Plan>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            None => serializer.serialize_str("off"),
            Some(plan) => plan.serialize(serializer),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Plan>, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text == "off" {
            return Ok(None);
        }
        Plan::deserialize(serde::de::value::StrDeserializer::<D::Error>::new(&text)).map(Some)
    }
}

/// Id generation. Resource ids come from one per-account counter in a 14-digit range, like
/// live ids (`6164039665946`): clients that store ids in 32-bit integers fail here as they
/// would in production, and a user id never equals an identity id, so mixed-up ids give 404s
/// instead of silently touching the wrong record. Each subdomain gets its own range of 10^8
/// ids (chosen by its hash, so deterministic), so an id from one account names nothing in
/// another — as on Zendesk, where ids are global — while staying below 2^53 for JavaScript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdGen {
    next: Id,
    /// Ticket ids are small and sequential per account, like Zendesk's ticket numbers.
    next_ticket: Id,
    next_job: u64,
    /// Mixed into job ids so two accounts never share one.
    salt: u64,
}

const ID_BASE: Id = 10_000_000_000_001;
const ID_RANGE: Id = 100_000_000;
const ID_RANGES: u64 = 90_000;
/// How far back [`IdGen::has_issued_jobs`] looks: far more jobs than a day retains.
const JOB_SEARCH: u64 = 1 << 24;

impl IdGen {
    pub fn new(salt: u64) -> Self {
        Self {
            next: ID_BASE + (salt % ID_RANGES) as Id * ID_RANGE,
            next_ticket: 1,
            next_job: 1,
            salt,
        }
    }

    pub fn next_ticket_id(&mut self) -> Id {
        let id = self.next_ticket;
        self.next_ticket += 1;
        id
    }

    /// The per-account salt (for tokens and the account id).
    pub fn salt(&self) -> u64 {
        self.salt
    }

    pub fn next_id(&mut self) -> Id {
        let id = self.next;
        self.next += 1;
        id
    }

    /// Whether ids up to `max_id` and ticket ids up to `max_ticket` were issued already, so
    /// no record made later can take one (checked when a snapshot is loaded).
    pub(crate) fn has_issued(&self, max_id: Id, max_ticket: Id) -> bool {
        max_id < self.next && max_ticket < self.next_ticket
    }

    /// Whether every one of `job_ids` was issued already (by this salt, below the job counter),
    /// so the counter cannot issue it again. Searches back from the newest, where a live
    /// account's retained jobs (a day's worth) are, at most [`JOB_SEARCH`] numbers deep.
    pub(crate) fn has_issued_jobs(&self, job_ids: &[&str]) -> bool {
        let parsed: Option<std::collections::HashSet<(u64, u64)>> = job_ids
            .iter()
            .map(|id| {
                let hex = id.strip_prefix("V3-").filter(|h| h.len() == 32)?;
                let hi = u64::from_str_radix(&hex[..16], 16).ok()?;
                let lo = u64::from_str_radix(&hex[16..], 16).ok()?;
                Some((hi, lo))
            })
            .collect();
        let Some(mut wanted) = parsed else {
            return false;
        };
        let oldest = self.next_job.saturating_sub(JOB_SEARCH).max(1);
        for n in (oldest..self.next_job).rev() {
            if wanted.is_empty() {
                break;
            }
            wanted.remove(&Self::job_number(self.salt, n));
        }
        wanted.is_empty()
    }

    /// A job id in the live form `V3-` + 32 hex digits, deterministic per account.
    /// How many job ids this account has issued (the next job's sequence number, less one).
    pub fn jobs_issued(&self) -> i64 {
        self.next_job as i64 - 1
    }

    pub fn next_job_id(&mut self) -> String {
        let n = self.next_job;
        self.next_job += 1;
        let (hi, lo) = Self::job_number(self.salt, n);
        format!("V3-{hi:016x}{lo:016x}")
    }

    /// The two halves of the `n`th job id.
    fn job_number(salt: u64, n: u64) -> (u64, u64) {
        let hi = splitmix64(salt ^ n);
        (hi, splitmix64(hi ^ n.rotate_left(32)))
    }
}

/// A fixed, well-mixed 64-bit hash step (SplitMix64); determinism matters, secrecy does not.
pub fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Everything an account holds. Fields are crate-visible for the domain modules; handlers and
/// the control API use the methods those modules define.
#[derive(Debug, Clone)]
pub struct AccountData {
    pub subdomain: String,
    pub clock: Clock,
    pub settings: Settings,
    pub(crate) ids: IdGen,
    pub owner_id: Id,
    pub(crate) users: BTreeMap<Id, User>,
    pub(crate) identities: BTreeMap<Id, Identity>,
    /// (user id, identity id) of every identity: a user's identities without scanning everyone's
    /// (show user reads the primary email and `verified` from them). Derived, like the next.
    pub(crate) identities_by_user: BTreeSet<(Id, Id)>,
    /// (type, normalized value) → identity id, for identities of active users only.
    pub(crate) identity_index: HashMap<(IdentityType, String), Id>,
    /// Account API tokens: any verified user's email with one of these authenticates.
    pub(crate) api_tokens: Vec<String>,
    pub(crate) oauth_tokens: HashMap<String, OAuthToken>,
    pub(crate) jobs: BTreeMap<String, Job>,
    pub(crate) events: EventLog,
    pub(crate) tickets: BTreeMap<Id, Ticket>,
    pub(crate) comments: BTreeMap<Id, Comment>,
    pub(crate) audits: BTreeMap<Id, Audit>,
    pub(crate) attachments: BTreeMap<Id, Attachment>,
    pub(crate) uploads: BTreeMap<String, Upload>,
    pub(crate) ticket_records: Vec<TicketRecord>,
    pub(crate) suspended_tickets: BTreeMap<Id, SuspendedTicket>,
    /// Derived from the records above (never saved in snapshots): see [`super::search`].
    pub(crate) search: SearchIndex,
}

impl AccountData {
    /// An empty account (no users yet); see [`super::Registry::create_account`].
    pub fn empty(subdomain: &str, salt: u64, event_capacity: usize) -> Self {
        Self {
            subdomain: subdomain.to_owned(),
            clock: Clock::default(),
            settings: Settings::default(),
            ids: IdGen::new(salt),
            owner_id: 0,
            users: BTreeMap::new(),
            identities: BTreeMap::new(),
            identities_by_user: BTreeSet::new(),
            identity_index: HashMap::new(),
            api_tokens: Vec::new(),
            oauth_tokens: HashMap::new(),
            jobs: BTreeMap::new(),
            events: EventLog::with_capacity(event_capacity),
            tickets: BTreeMap::new(),
            comments: BTreeMap::new(),
            audits: BTreeMap::new(),
            attachments: BTreeMap::new(),
            uploads: BTreeMap::new(),
            ticket_records: Vec::new(),
            suspended_tickets: BTreeMap::new(),
            search: SearchIndex::default(),
        }
    }

    /// The account clock's current time.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn events(&self) -> &EventLog {
        &self.events
    }

    pub fn clear_events(&mut self) {
        self.events.clear();
    }

    /// The account's numeric id (job results of ticket imports carry it), fixed per subdomain.
    pub fn account_id(&self) -> i64 {
        10_000_000 + (self.ids.salt() % 90_000_000) as i64
    }

    /// The account's default brand. Live tickets always carry an integer `brand_id`,
    /// `ticket_form_id` and `custom_status_id` (every recorded ticket does), so the account has
    /// one brand, one ticket form and one custom status per status category, with ids fixed
    /// per account.
    pub fn default_brand_id(&self) -> Id {
        self.account_id() * 100 + 1
    }

    /// The account's default ticket form.
    pub fn default_ticket_form_id(&self) -> Id {
        self.account_id() * 100 + 2
    }

    /// The default custom status of a status category.
    pub fn custom_status_id(&self, status: super::tickets::Status) -> Id {
        self.account_id() * 100 + 10 + status as Id
    }

    pub fn api_tokens(&self) -> &[String] {
        &self.api_tokens
    }
}

/// An account: data behind one lock, journal behind another (the journal is written after every
/// request, and must not make reads wait for it).
#[derive(Debug)]
pub struct Account {
    pub subdomain: String,
    /// Readers share it: show and list calls, the bulk of a suite's traffic, run side by side
    /// on a multi-core runtime; a write waits for them and excludes everyone.
    data: RwLock<AccountData>,
    journal: Mutex<Journal>,
    rate: Mutex<RateLimiter>,
    /// Injected faults: their own lock, taken on every request, never waiting for the data.
    faults: Mutex<Faults>,
}

impl Account {
    pub fn new(data: AccountData, journal_capacity: usize) -> Self {
        Self {
            subdomain: data.subdomain.clone(),
            data: RwLock::new(data),
            journal: Mutex::new(Journal::with_capacity(journal_capacity)),
            rate: Mutex::new(RateLimiter::default()),
            faults: Mutex::new(Faults::default()),
        }
    }

    /// Counts a request against the account's rate limits; see [`super::rate_limits`].
    pub fn rate_check(
        &self,
        now: Timestamp,
        account_limit: u32,
        rules: &[Rule],
        enforce: bool,
    ) -> Verdict {
        self.rate.lock().check(now, account_limit, rules, enforce)
    }

    /// Forgets every rate-limit counter (account reset).
    pub fn clear_rate_limits(&self) {
        self.rate.lock().clear();
    }

    /// Runs `f` with the account's injected faults ([`super::faults`]); like [`Self::write`],
    /// the lock cannot outlive `f`, so no one sleeps (latency) while holding it.
    pub fn faults<R>(&self, f: impl FnOnce(&mut Faults) -> R) -> R {
        f(&mut self.faults.lock())
    }

    /// Runs `f` with shared access to the account's data.
    pub fn read<R>(&self, f: impl FnOnce(&AccountData) -> R) -> R {
        f(&self.data.read())
    }

    /// Runs `f` with exclusive access; everything `f` does is one atomic step.
    /// The search index takes in what `f` wrote before the lock is released, so the record
    /// versions it stages are the ones this write left.
    pub fn write<R>(&self, f: impl FnOnce(&mut AccountData) -> R) -> R {
        let mut data = self.data.write();
        let result = f(&mut data);
        data.sync_search();
        // Every test's every write re-derives what is kept derived, so an update path that
        // forgets one fails the test that takes it.
        #[cfg(debug_assertions)]
        data.assert_derived_consistent();
        result
    }

    pub fn journal(&self) -> MutexGuard<'_, Journal> {
        self.journal.lock()
    }
}
