//! Running the tool under test: a shell command with the world's environment, bounded by a
//! timeout; or a Rust closure, bounded the same way.

use super::ToolEnv;
use std::process::Stdio;
use std::time::Duration;

/// How a tool run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolRun {
    /// Exit status 0, or `Ok`, within the timeout.
    pub ok: bool,
    /// Why not, when not.
    pub failure: Option<String>,
    /// The end of what it printed (stdout, then stderr).
    pub output: String,
}

/// At most this much of a tool's output is kept for the report.
const OUTPUT_TAIL: usize = 4000;

fn tail(text: &str) -> String {
    let count = text.chars().count();
    if count <= OUTPUT_TAIL {
        text.to_owned()
    } else {
        let kept: String = text.chars().skip(count - OUTPUT_TAIL).collect();
        format!("…{kept}")
    }
}

/// Runs `sh -c command` with `env`'s variables added, in its own process group so that a
/// timeout kills whatever it started too.
pub async fn run_command(command: &str, env: &ToolEnv, timeout: Duration) -> ToolRun {
    let spawned = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .envs(env.vars())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true)
        .spawn();
    let child = match spawned {
        Ok(child) => child,
        Err(e) => {
            return ToolRun {
                ok: false,
                failure: Some(format!("cannot start `sh -c {command}`: {e}")),
                output: String::new(),
            };
        }
    };
    let group = child.id();
    match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Ok(Ok(output)) => {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            ToolRun {
                ok: output.status.success(),
                failure: (!output.status.success())
                    .then(|| format!("exited with {}", output.status)),
                output: tail(&text),
            }
        }
        Ok(Err(e)) => ToolRun {
            ok: false,
            failure: Some(format!("lost the tool: {e}")),
            output: String::new(),
        },
        Err(_) => {
            if let Some(group) = group {
                // The shell is gone with the dropped future; its children are in its group.
                let _ = std::process::Command::new("kill")
                    .args(["-KILL", "--", &format!("-{group}")])
                    .status();
            }
            ToolRun {
                ok: false,
                failure: Some(format!(
                    "still running after {} s; killed",
                    timeout.as_secs()
                )),
                output: String::new(),
            }
        }
    }
}

/// Runs a closure, bounded by `timeout`.
pub async fn run_closure<F>(tool: &F, env: &ToolEnv, timeout: Duration) -> ToolRun
where
    F: AsyncFn(&ToolEnv) -> Result<(), String>,
{
    match tokio::time::timeout(timeout, tool(env)).await {
        Ok(Ok(())) => ToolRun {
            ok: true,
            failure: None,
            output: String::new(),
        },
        Ok(Err(message)) => ToolRun {
            ok: false,
            failure: Some(format!("returned an error: {message}")),
            output: String::new(),
        },
        Err(_) => ToolRun {
            ok: false,
            failure: Some(format!("still running after {} s", timeout.as_secs())),
            output: String::new(),
        },
    }
}
