//! [`TargetArgs`]: the flags that name the server under test, shared by the subcommands that
//! drive one.

use crate::target::{ENV_EMAIL, ENV_TOKEN, ENV_URL, Target};

/// Which server to test. Without `--target` (or `ZENDESK_URL`), a mock started in-process.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TargetArgs {
    /// The server's base URL, e.g. `http://127.0.0.1:8080` or `https://acme.zendesk.com`.
    #[arg(long = "target", env = ENV_URL, value_name = "URL")]
    pub url: Option<String>,
    /// The email of an admin to act as (Basic auth `EMAIL/token:TOKEN`).
    #[arg(long, env = ENV_EMAIL)]
    pub email: Option<String>,
    /// The account's API token.
    #[arg(long, env = ENV_TOKEN, hide_env_values = true)]
    pub token: Option<String>,
    /// The mock's server-wide control token, when it was started with `--control-token`.
    #[arg(long, env = "ZENDESK_MOCK_CONTROL_TOKEN", hide_env_values = true)]
    pub control_token: Option<String>,
    /// Do not use the mock's control API even if the target has it (checks needing it skip).
    #[arg(long)]
    pub no_control: bool,
    /// Required to run against a server that is not zendesk-mock: the checks create, change
    /// and delete users and tickets in that account (their own, and they clean up).
    #[arg(long = "i-understand-this-is-a-real-zendesk")]
    pub real_zendesk: bool,
}

impl TargetArgs {
    /// The target: an in-process mock when no URL is given; otherwise the URL, asked whether
    /// it is the mock (`/__mock`). A server that is not the mock needs the explicit opt-in.
    pub async fn resolve(&self) -> Result<Target, String> {
        let Some(url) = &self.url else {
            let target = Target::in_process().await;
            return Ok(target.with_control(!self.no_control));
        };
        let target =
            Target::from_flags_or_env(Some(url), self.email.as_deref(), self.token.as_deref())
                .map_err(|e| e.to_string())?
                .with_control_token(self.control_token.clone());
        let is_mock = target
            .client()
            .has_control_api()
            .await
            .map_err(|e| format!("cannot reach {url}: {e}"))?;
        if !is_mock && !self.real_zendesk {
            return Err(format!(
                "{url} is not zendesk-mock (no /__mock control API). The checks create and \
                 delete users and tickets there; to run them against a real Zendesk account, \
                 pass --i-understand-this-is-a-real-zendesk."
            ));
        }
        Ok(target.with_control(is_mock && !self.no_control))
    }
}
