//! Runs one scenario against a target: a fresh account (control API; or the target's own,
//! emptied, see [`Account`]), the world seeded into it, each step's request sent and its answer
//! checked, the captures kept, and at the end the residue expectation; a fresh account is
//! dropped afterwards, passed or not.

use super::assert::{self, includes, show};
use super::error::{At, ScenarioError};
use super::format::{Scenario, Step};
use super::template::Vars;
use crate::client::{Client, Reply};
use crate::target::Target;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How long `wait_for_job` polls a job before the step fails.
pub const JOB_TIMEOUT: Duration = Duration::from_secs(30);

/// How much of an answer's body a failure message shows.
const BODY_SHOWN: usize = 2000;

/// Which account a scenario runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Account {
    /// A fresh account made for it (`POST /__mock/accounts`) and dropped afterwards: scenarios
    /// never see each other's data and may run side by side. The default.
    Fresh,
    /// The target's own account, emptied first (`POST /__mock/reset`; settings and clock
    /// stay): for a server whose settings a test changed from Rust, as the mutation tests do.
    Own,
}

/// Runs `scenario` against `target` in a fresh account; the target needs the mock's control
/// API.
pub async fn run(target: &Target, scenario: &Scenario) -> Result<(), ScenarioError> {
    run_with(target, scenario, Account::Fresh).await
}

/// Runs `scenario` against `target` in the account `account` says.
pub async fn run_with(
    target: &Target,
    scenario: &Scenario,
    account: Account,
) -> Result<(), ScenarioError> {
    let file = scenario.file.as_str();
    let world_error = |message: String| ScenarioError::new(file, At::World, message);
    if !target.control {
        return Err(world_error(
            "needs the mock's control API (a fresh account and a seeded world)".to_owned(),
        ));
    }
    if account == Account::Own {
        let admin = target.client();
        let owner = own_account(&admin).await.map_err(world_error)?;
        return run_in(&admin, &owner, scenario).await;
    }
    let fresh = target
        .control_client()
        .create_account(&subdomain())
        .await
        .map_err(|e| world_error(format!("cannot create a fresh account: {e}")))?;
    let admin = fresh.client(&target.client());
    let owner = Owner {
        id: fresh.admin_id,
        email: fresh.email.clone(),
    };
    let outcome = run_in(&admin, &owner, scenario).await;
    // Best effort: the account is isolated either way, and the server's lifetime ends it.
    let _ = target
        .control_client()
        .delete_account(&fresh.subdomain)
        .await;
    outcome
}

/// The account's owner admin, as the `admin.*` variables show it.
struct Owner {
    id: i64,
    email: String,
}

/// Empties the target's own account and says who its admin is.
async fn own_account(admin: &Client) -> Result<Owner, String> {
    let reset = admin.reset_account().await.map_err(|e| e.to_string())?;
    if !reset.is_success() {
        return Err(format!("cannot reset the account: {reset}"));
    }
    let me = admin
        .get("users/me", &[])
        .await
        .map_err(|e| e.to_string())?;
    match (me.id_at("/user/id"), me.at("/user/email").as_str()) {
        (Some(id), Some(email)) => Ok(Owner {
            id,
            email: email.to_owned(),
        }),
        _ => Err(format!("cannot tell who the admin is: {me}")),
    }
}

async fn run_in(admin: &Client, owner: &Owner, scenario: &Scenario) -> Result<(), ScenarioError> {
    let file = scenario.file.as_str();
    let mut vars = seed(admin, owner, scenario).await?;
    for (index, step) in scenario.steps.iter().enumerate() {
        let at = At::Step {
            number: index + 1,
            name: step.name.clone(),
        };
        run_step(admin, step, &mut vars).await.map_err(|failure| {
            let error = ScenarioError::new(file, at, failure.message);
            match failure.detail {
                Some(detail) => error.with_detail(detail),
                None => error,
            }
        })?;
    }
    check_residue(admin, scenario).await
}

/// Seeds the world; the variables: `users.<ref>`, `tickets.<ref>`, `admin.id`, `admin.email`.
async fn seed(admin: &Client, owner: &Owner, scenario: &Scenario) -> Result<Vars, ScenarioError> {
    let file = scenario.file.as_str();
    let world_error = |message: String| ScenarioError::new(file, At::World, message);
    let reply = admin
        .seed(scenario.world.clone())
        .await
        .map_err(|e| world_error(format!("cannot seed: {e}")))?;
    if !reply.is_success() {
        return Err(
            world_error(format!("the seed was refused ({})", reply.status))
                .with_detail(exchange(&reply, &reply.body)),
        );
    }
    let mut vars = Vars::default();
    vars.set("admin.id", json!(owner.id));
    vars.set("admin.email", json!(owner.email));
    for list in ["users", "tickets"] {
        for item in scenario.world[list].as_array().into_iter().flatten() {
            let Some(reference) = item["ref"].as_str() else {
                continue;
            };
            let id = reply.at(&format!("/refs/{reference}"));
            if !id.is_i64() {
                return Err(
                    world_error(format!("the seed reply has no id for `{reference}`"))
                        .with_detail(exchange(&reply, &reply.body)),
                );
            }
            vars.set(format!("{list}.{reference}"), id.clone());
        }
    }
    Ok(vars)
}

/// Why a step failed, and the exchange it failed in.
struct StepFailure {
    message: String,
    detail: Option<String>,
}

impl From<String> for StepFailure {
    fn from(message: String) -> Self {
        Self {
            message,
            detail: None,
        }
    }
}

async fn run_step(admin: &Client, step: &Step, vars: &mut Vars) -> Result<(), StepFailure> {
    let request = &step.request;
    let client = client_for(admin, request.as_user.as_deref(), vars).await?;
    let path = on_target(admin, &vars.render_str(&request.path)?, request.control)?;
    let mut query = Vec::new();
    for (name, value) in &request.query {
        let text = match vars.render(value)? {
            Value::String(text) => text,
            Value::Array(items) => join(&items),
            Value::Null => return Err(format!("query parameter `{name}` is null").into()),
            other => other.to_string(),
        };
        query.push((name.as_str(), text));
    }
    let body = request.body.as_ref().map(|b| vars.render(b)).transpose()?;
    let reply = client
        .send(request.method.to_reqwest(), &path, &query, body)
        .await
        .map_err(|e| e.to_string())?;
    let failed = |message: String, body: &Value| StepFailure {
        message,
        detail: Some(exchange(&reply, body)),
    };
    if reply.status != step.expect.status {
        return Err(failed(
            format!(
                "expected status {}, got {}",
                step.expect.status, reply.status
            ),
            &reply.body,
        ));
    }
    let body = if step.wait_for_job {
        let job = client
            .wait_for_reply_job(&reply, JOB_TIMEOUT)
            .await
            .map_err(|e| failed(format!("waiting for the job: {e}"), &reply.body))?;
        json!({ "job_status": job })
    } else {
        reply.body.clone()
    };
    let failures = assert::check(&step.expect, &body, vars);
    if !failures.is_empty() {
        return Err(failed(failures.join("\n"), &body));
    }
    for (name, path) in &step.capture {
        let value = path
            .select(&body)
            .to_value()
            .ok_or_else(|| failed(format!("capture `{name}`: nothing at {path}"), &body))?;
        vars.set(name.clone(), value);
    }
    Ok(())
}

/// The client a step acts with: the admin, or a world user (by ref) or an email with the
/// account's API token. A ref is turned into the user's current primary email.
async fn client_for(admin: &Client, user: Option<&str>, vars: &Vars) -> Result<Client, String> {
    let Some(user) = user else {
        return Ok(admin.clone());
    };
    if user.contains('@') {
        return Ok(admin.as_user(user));
    }
    let id = vars
        .get(&format!("users.{user}"))
        .ok_or_else(|| format!("`as: {user}`: no such world user"))?;
    let reply = admin
        .get(&format!("users/{id}"), &[])
        .await
        .map_err(|e| e.to_string())?;
    match reply.at("/user/email").as_str() {
        Some(email) if reply.status == 200 => Ok(admin.as_user(email)),
        _ => Err(format!(
            "`as: {user}`: cannot find the email of user {id}: {reply}"
        )),
    }
}

/// A rendered path, checked: under `/api/v2/` (or `/__mock/` for a control request), given as
/// a path or as an absolute URL on the target (a captured `next_page`).
fn on_target(admin: &Client, path: &str, control: bool) -> Result<String, String> {
    let relative = path.strip_prefix(admin.origin()).unwrap_or(path);
    let prefix = if control { "/__mock/" } else { "/api/v2/" };
    if relative.starts_with(prefix) {
        Ok(relative.to_owned())
    } else {
        Err(format!(
            "`{path}` is not a path under {prefix} or a URL on the target ({})",
            admin.origin()
        ))
    }
}

fn join(items: &[Value]) -> String {
    let texts: Vec<String> = items
        .iter()
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
        .collect();
    texts.join(",")
}

/// `METHOD URL → STATUS`, the body sent (if any), then `body` (the answer, or the finished job).
fn exchange(reply: &Reply, body: &Value) -> String {
    let mut out = format!("{} → {}", reply.request, reply.status);
    if let Some(sent) = &reply.request_body {
        out.push_str(&format!("\nsent: {}", cut(&sent.to_string())));
    }
    let shown = if body.is_null() {
        cut(&reply.text)
    } else {
        cut(&body.to_string())
    };
    if !shown.is_empty() {
        out.push_str(&format!("\ngot: {shown}"));
    }
    out
}

fn cut(text: &str) -> String {
    if text.chars().count() <= BODY_SHOWN {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(BODY_SHOWN).collect::<String>())
    }
}

/// Compares `POST /__mock/residue` with the scenario's residue expectation: each expected hit
/// (a partial `{kind, id, field}`) matches a distinct hit of its needle, and no hit is left
/// over.
async fn check_residue(admin: &Client, scenario: &Scenario) -> Result<(), ScenarioError> {
    if scenario.residue.is_empty() {
        return Ok(());
    }
    let file = scenario.file.as_str();
    let needles: Vec<&str> = scenario.residue.iter().map(|(n, _)| n.as_str()).collect();
    let hits = admin
        .residue(&needles)
        .await
        .map_err(|e| ScenarioError::new(file, At::Residue, e.to_string()))?;
    let mut problems = Vec::new();
    for (needle, expected) in &scenario.residue {
        let found: Vec<&Value> = hits.iter().filter(|h| h["needle"] == *needle).collect();
        let mut left = found.clone();
        for wanted in expected {
            match left.iter().position(|hit| includes(hit, wanted)) {
                Some(at) => {
                    left.remove(at);
                }
                None => problems.push(format!(
                    "{needle:?}: expected a hit like {}, found none among {}",
                    show(wanted),
                    show(&Value::Array(found.iter().map(|h| (*h).clone()).collect()))
                )),
            }
        }
        for hit in left {
            problems.push(format!("{needle:?}: still found at {}", show(hit)));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ScenarioError::new(file, At::Residue, problems.join("\n")))
    }
}

/// A subdomain no other run in this process (or, very likely, any other) uses.
fn subdomain() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "sc-{}-{nanos}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}
