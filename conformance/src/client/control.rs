//! The mock's control API (`/__mock/…`, design.md "Control API"). Not part of Zendesk: these
//! calls set up and inspect a mock account (fresh accounts, clock, settings, jobs, faults,
//! residue, journal, events). Per-account calls need that account's admin credentials (or the
//! server's control token); account creation needs the control token only when the server
//! was started with one.

use super::{Auth, Client, ClientError, ClientResult, Reply};
use reqwest::Method;
use serde_json::{Value, json};

/// A fresh account made by `POST /__mock/accounts`: its owner admin's credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockAccount {
    pub subdomain: String,
    pub admin_id: i64,
    pub email: String,
    pub token: String,
}

impl MockAccount {
    /// A client acting as this account's owner admin. The account is found by its token (the
    /// mock resolves an account from the presented token when the host names none).
    pub fn client(&self, like: &Client) -> Client {
        like.with_auth(Auth::ApiToken {
            email: self.email.clone(),
            token: self.token.clone(),
        })
    }
}

impl Client {
    /// `GET /__mock/openapi.json` (no credentials): answers 200 with the control API's
    /// description on the mock, and nothing of the kind on Zendesk.
    pub async fn control_openapi(&self) -> ClientResult<Reply> {
        self.with_auth(Auth::Anonymous)
            .get("/__mock/openapi.json", &[])
            .await
    }

    /// Whether this server has the mock's control API.
    pub async fn has_control_api(&self) -> ClientResult<bool> {
        let reply = self.control_openapi().await?;
        Ok(reply.status == 200
            && reply
                .at("/info/title")
                .as_str()
                .is_some_and(|t| t.contains("zendesk-mock")))
    }

    /// `POST /__mock/accounts {"subdomain"}`: a fresh, empty account with an owner admin.
    pub async fn create_account(&self, subdomain: &str) -> ClientResult<MockAccount> {
        let reply = self
            .post("/__mock/accounts", json!({ "subdomain": subdomain }))
            .await?
            .expect_status(201, "creating a mock account")?;
        let field = |name: &str| reply.at(&format!("/account/admin/{name}")).clone();
        match (field("id").as_i64(), field("email"), field("token")) {
            (Some(admin_id), Value::String(email), Value::String(token)) => Ok(MockAccount {
                subdomain: reply
                    .at("/account/subdomain")
                    .as_str()
                    .unwrap_or(subdomain)
                    .to_owned(),
                admin_id,
                email,
                token,
            }),
            _ => Err(ClientError::unexpected(
                "expected account.admin {id, email, token}",
                &reply,
            )),
        }
    }

    /// `GET /__mock/accounts`.
    pub async fn list_accounts(&self) -> ClientResult<Reply> {
        self.get("/__mock/accounts", &[]).await
    }

    /// `DELETE /__mock/accounts/{subdomain}`: 204.
    pub async fn delete_account(&self, subdomain: &str) -> ClientResult<Reply> {
        self.delete(&format!("/__mock/accounts/{subdomain}")).await
    }

    /// `POST /__mock/reset`: the account back to its owner admin.
    pub async fn reset_account(&self) -> ClientResult<Reply> {
        self.post("/__mock/reset", json!({})).await
    }

    /// `POST /__mock/seed` with a world; the reply lists the ids assigned.
    pub async fn seed(&self, world: Value) -> ClientResult<Reply> {
        self.post("/__mock/seed", world).await
    }

    /// `GET /__mock/settings`.
    pub async fn mock_settings(&self) -> ClientResult<Reply> {
        self.get("/__mock/settings", &[]).await
    }

    /// `PATCH /__mock/settings` with some settings (`job_mode`, `rate_limits`, …).
    pub async fn update_mock_settings(&self, patch: Value) -> ClientResult<Reply> {
        self.send(Method::PATCH, "/__mock/settings", &[], Some(patch))
            .await
    }

    /// `GET /__mock/clock`.
    pub async fn clock(&self) -> ClientResult<Reply> {
        self.get("/__mock/clock", &[]).await
    }

    /// `PUT /__mock/clock {"now", "frozen"}`.
    pub async fn set_clock(&self, now: &str, frozen: bool) -> ClientResult<Reply> {
        self.put("/__mock/clock", json!({ "now": now, "frozen": frozen }))
            .await
    }

    /// `POST /__mock/clock/advance {"seconds"}`: runs what falls due on the way.
    pub async fn advance_clock(&self, seconds: i64) -> ClientResult<Reply> {
        self.post("/__mock/clock/advance", json!({ "seconds": seconds }))
            .await
    }

    /// `POST /__mock/jobs/release`: runs jobs held in manual job mode.
    pub async fn release_jobs(&self) -> ClientResult<Reply> {
        self.post("/__mock/jobs/release", json!({})).await
    }

    /// `POST /__mock/faults` with a fault spec.
    pub async fn add_fault(&self, spec: Value) -> ClientResult<Reply> {
        self.post("/__mock/faults", spec).await
    }

    /// `DELETE /__mock/faults`.
    pub async fn clear_faults(&self) -> ClientResult<Reply> {
        self.delete("/__mock/faults").await
    }

    /// `POST /__mock/residue {"needles"}`: every place a needle still appears, as
    /// `{"needle","kind","id","field"}` items.
    pub async fn residue(&self, needles: &[&str]) -> ClientResult<Vec<Value>> {
        let reply = self
            .post("/__mock/residue", json!({ "needles": needles }))
            .await?;
        match reply.at("/residue").as_array() {
            Some(hits) if reply.status == 200 => Ok(hits.clone()),
            _ => Err(ClientError::unexpected(
                "expected 200 {\"residue\": [...]}",
                &reply,
            )),
        }
    }

    /// `GET /__mock/journal`.
    pub async fn journal(&self) -> ClientResult<Reply> {
        self.get("/__mock/journal", &[]).await
    }

    /// `GET /__mock/events`.
    pub async fn events(&self) -> ClientResult<Reply> {
        self.get("/__mock/events", &[]).await
    }

    /// `POST /__mock/inbound/email {"name","email","subject","body"}`: an email to the support
    /// address; a ticket, or a suspended ticket when the sender is suspended.
    pub async fn inbound_email(
        &self,
        name: &str,
        email: &str,
        subject: &str,
        body: &str,
    ) -> ClientResult<Reply> {
        self.post(
            "/__mock/inbound/email",
            json!({ "name": name, "email": email, "subject": subject, "body": body }),
        )
        .await
    }
}
