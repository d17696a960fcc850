//! One world, one run: a fresh account on the target, the world seeded into it and aged an
//! hour (so it predates the run, and the incremental export — which leaves out the last
//! minute — lists it), the tool run against it, the evidence gathered, the verdicts given,
//! and the account dropped.

use super::command::ToolRun;
use super::{ClientConfig, ToolEnv};
use crate::client::ClientError;
use crate::target::Target;
use crate::verify::evidence::{Baseline, Evidence};
use crate::verify::{self, Property, Task, Verdict};
use crate::world::World;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};

/// How long the world is aged after seeding, in seconds.
const AGE_SECONDS: i64 = 3600;

/// What one world's run came to.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// One verdict per property: `run` first, then the task's.
    pub verdicts: Vec<Verdict>,
    /// The end of what the tool printed.
    pub output: String,
}

impl CaseResult {
    /// Whether every verdict passed.
    pub fn passed(&self) -> bool {
        self.verdicts.iter().all(|v| v.passed)
    }

    /// The properties that failed.
    pub fn failed(&self) -> Vec<Property> {
        self.verdicts
            .iter()
            .filter(|v| !v.passed)
            .map(|v| v.property)
            .collect()
    }

    /// One line naming the failed properties and their first finding.
    pub fn summary(&self) -> String {
        self.verdicts
            .iter()
            .filter(|v| !v.passed)
            .map(|v| {
                format!(
                    "{}: {}",
                    v.property,
                    v.findings.first().map_or("", String::as_str)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A subdomain no other run in this process (or another process on the same target) uses.
fn subdomain() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "cw-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A temporary file for the tool's export.
fn export_path(subdomain: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("zendesk-conformance-{subdomain}-export.json"))
}

/// The fault that throttles a world's first request to a user: a 429 with `Retry-After: 1`.
fn throttle() -> Value {
    json!({"method": "*", "path": "/api/v2/users/*", "status": 429, "retry_after": 1, "count": 1})
}

fn read_export(path: &std::path::Path) -> Result<Value, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("no export at EXPORT_PATH ({e})"))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("the export is not JSON: {e}"))
}

/// Runs `tool` on `world` in a fresh account of `target` and judges it.
pub async fn run_case<F>(
    target: &Target,
    config: &ClientConfig,
    world: &World,
    tool: &F,
) -> Result<CaseResult, ClientError>
where
    F: AsyncFn(&ToolEnv) -> ToolRun,
{
    let name = subdomain();
    let account = target.control_client().create_account(&name).await?;
    let admin = account.client(&target.client());
    let result = judge(target, config, world, tool, &admin, &account).await;
    // Best effort: the account is isolated either way.
    let _ = target
        .control_client()
        .delete_account(&account.subdomain)
        .await;
    result
}

async fn judge<F>(
    target: &Target,
    config: &ClientConfig,
    world: &World,
    tool: &F,
    admin: &crate::Client,
    account: &crate::client::MockAccount,
) -> Result<CaseResult, ClientError>
where
    F: AsyncFn(&ToolEnv) -> ToolRun,
{
    let seeded = admin
        .seed(world.to_seed())
        .await?
        .expect_status(200, "seeding the world")?;
    admin
        .advance_clock(AGE_SECONDS)
        .await?
        .expect_status(200, "ageing the world")?;
    if config.throttle {
        admin
            .add_fault(throttle())
            .await?
            .expect_status(201, "adding the throttle")?;
    }
    let baseline = Baseline::take(admin, world, &seeded.body).await?;
    let export_path = export_path(&account.subdomain);
    let env = ToolEnv {
        url: target.base_url.clone(),
        email: account.email.clone(),
        token: account.token.clone(),
        subject_email: world.subject.email().to_owned(),
        subject_id: baseline.ids.subject,
        export_path: (config.task == Task::Export).then(|| export_path.clone()),
        client: admin.clone(),
    };
    let run = tool(&env).await;
    let export = (config.task == Task::Export).then(|| read_export(&export_path));
    let _ = std::fs::remove_file(&export_path);
    let evidence = Evidence::gather(admin, world, config.task, baseline, export).await?;
    let mut verdicts = vec![Verdict::from_findings(
        Property::Run,
        run.failure.into_iter().collect(),
    )];
    verdicts.extend(verify::verify(config.task, config.policy, world, &evidence));
    Ok(CaseResult {
        verdicts,
        output: run.output,
    })
}
