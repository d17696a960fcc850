//! Runs checks against a [`Target`] and gathers a [`Report`]. With the control API each check
//! gets a fresh account (dropped afterwards), so checks never see each other's data; without
//! it they share the target's account and rely on unique names and their own clean-up.

use crate::checks::{Check, Ctx, Provenance};
use crate::target::Target;
use serde::Serialize;
use std::time::{Duration, Instant};

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Stop at the first failure; the checks not run are reported as skipped.
    pub fail_fast: bool,
    /// How long one check may take, clean-up included.
    pub check_timeout: Duration,
    /// With the control API, give each check a fresh account (the default). Off, checks share
    /// the target's account, as they do without control — how a test runs them against an
    /// account it prepared (the mutation tests break a rule in it).
    pub fresh_accounts: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            fail_fast: false,
            check_timeout: Duration::from_secs(120),
            fresh_accounts: true,
        }
    }
}

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    Failed,
    Skipped,
}

/// One check's result.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub name: String,
    pub rule: String,
    pub provenance: Provenance,
    pub source: String,
    pub status: Status,
    /// Why it failed or was skipped.
    pub message: Option<String>,
    pub seconds: f64,
}

impl std::fmt::Display for CheckResult {
    /// `FAIL users.delete.owner_forbidden (inferred): <rule>` and the message below it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tag = match self.status {
            Status::Passed => "PASS",
            Status::Failed => "FAIL",
            Status::Skipped => "SKIP",
        };
        write!(
            f,
            "{tag} {} ({}): {}",
            self.name, self.provenance, self.rule
        )?;
        if let Some(message) = &self.message {
            for line in message.lines() {
                write!(f, "\n    {line}")?;
            }
        }
        Ok(())
    }
}

/// A whole run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The target's base URL.
    pub target: String,
    /// Whether the target had the mock's control API.
    pub control: bool,
    /// When the run started: `YYYY-MM-DDTHH:MM:SS` (UTC).
    pub started_at: String,
    pub seconds: f64,
    pub results: Vec<CheckResult>,
}

impl Report {
    /// How many results have `status`.
    pub fn count(&self, status: Status) -> usize {
        self.results.iter().filter(|r| r.status == status).count()
    }

    /// Whether nothing failed.
    pub fn passed(&self) -> bool {
        self.count(Status::Failed) == 0
    }

    /// The result of the check named `name`.
    pub fn result(&self, name: &str) -> Option<&CheckResult> {
        self.results.iter().find(|r| r.name == name)
    }
}

/// Told as checks start and finish (the CLI prints a line per check).
pub trait Progress {
    /// Check `index` (0-based) of `total` starts.
    fn started(&mut self, _index: usize, _total: usize, _check: &Check) {}
    /// It finished.
    fn finished(&mut self, index: usize, total: usize, result: &CheckResult);
}

/// Progress that reports nothing.
#[derive(Debug, Default)]
pub struct Quiet;

impl Progress for Quiet {
    fn finished(&mut self, _: usize, _: usize, _: &CheckResult) {}
}

/// Runs `checks` in order against `target`.
pub async fn run(
    target: &Target,
    checks: &[Check],
    options: &RunOptions,
    progress: &mut dyn Progress,
) -> Report {
    let started = Instant::now();
    let started_at = timestamp();
    let tag = run_tag();
    let mut results = Vec::with_capacity(checks.len());
    let mut stopped = false;
    for (index, check) in checks.iter().enumerate() {
        progress.started(index, checks.len(), check);
        let clock = Instant::now();
        let (status, message) = if stopped {
            (
                Status::Skipped,
                Some("not run: an earlier check failed (--fail-fast)".to_owned()),
            )
        } else if check.needs_control && !target.control {
            (
                Status::Skipped,
                Some("needs the mock's control API".to_owned()),
            )
        } else {
            let outcome = tokio::time::timeout(
                options.check_timeout,
                run_one(
                    target,
                    check,
                    &format!("{tag}{index}"),
                    options.fresh_accounts,
                ),
            )
            .await
            .unwrap_or_else(|_| Err(format!("timed out after {:?}", options.check_timeout)));
            match outcome {
                Ok(()) => (Status::Passed, None),
                Err(message) => (Status::Failed, Some(message)),
            }
        };
        let result = CheckResult {
            name: check.name.to_owned(),
            rule: check.rule.to_owned(),
            provenance: check.provenance,
            source: check.source.to_owned(),
            status,
            message,
            seconds: clock.elapsed().as_secs_f64(),
        };
        stopped |= options.fail_fast && status == Status::Failed;
        progress.finished(index, checks.len(), &result);
        results.push(result);
    }
    Report {
        target: target.base_url.clone(),
        control: target.control,
        started_at,
        seconds: started.elapsed().as_secs_f64(),
        results,
    }
}

/// Runs one check in its own context; the error is the failure message.
async fn run_one(
    target: &Target,
    check: &Check,
    tag: &str,
    fresh_account: bool,
) -> Result<(), String> {
    let base = target.client();
    let account = if target.control && fresh_account {
        let subdomain = format!("zc-{tag}");
        let account = target
            .control_client()
            .create_account(&subdomain)
            .await
            .map_err(|e| format!("could not create a fresh mock account: {e}"))?;
        Some(account)
    } else {
        None
    };
    let client = account
        .as_ref()
        .map_or(base, |a| a.client(&target.client()));
    let mut ctx = Ctx::new(client, target.control, tag);
    let outcome = (check.run)(&mut ctx).await;
    let problems = ctx.clean_up().await;
    if let Some(account) = &account {
        // Best effort: the account is isolated either way, and the server's lifetime ends it.
        let _ = target
            .control_client()
            .delete_account(&account.subdomain)
            .await;
    }
    match outcome {
        Err(failure) => Err(failure.0),
        Ok(()) if problems.is_empty() => Ok(()),
        Ok(()) => Err(format!(
            "passed, but clean-up failed:\n{}",
            problems.join("\n")
        )),
    }
}

/// A short tag unique to this run, for names and subdomains: lowercase letters and digits.
fn run_tag() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut n = (nanos % 36u128.pow(6)) as u64;
    let mut tag = String::new();
    for _ in 0..6 {
        let digit = (n % 36) as u32;
        tag.push(std::char::from_digit(digit, 36).unwrap_or('0'));
        n /= 36;
    }
    tag
}

/// Now, UTC, as `YYYY-MM-DDTHH:MM:SS` (the JUnit schema's timestamp form).
pub fn timestamp() -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    time::OffsetDateTime::now_utc()
        .format(&format)
        .unwrap_or_else(|_| "1970-01-01T00:00:00".to_owned())
}
