//! An export (access and portability) and a suspension (objection), each with the knobs that
//! make it wrong.

use super::{Subject, all, held_emails, mentioning, ok, requested};
use serde_json::{Value, json};
use zendesk_conformance::client_run::ToolEnv;

/// What the exporter does; the default is right.
#[derive(Debug, Clone, Copy, Default)]
pub struct Exporter {
    /// Export the tickets of everyone with the subject's name (precision of the export).
    pub by_name: bool,
    /// Leave out the subject's held emails (recall).
    pub skip_held: bool,
    /// Export whole tickets that mention the subject, others' comments included.
    pub whole_tickets: bool,
}

impl Exporter {
    /// Writes the subject's data to `EXPORT_PATH`: their user and identities, their tickets
    /// with every comment, the comments of others' tickets that hold their data, and their
    /// held emails.
    pub async fn run(self, env: &ToolEnv) -> Result<(), String> {
        let client = &env.client;
        let subject = Subject::find(env, true).await?;
        let id = subject.id;
        let user = ok(client.show_user(id).await, "the user")?.body;
        let identities = all(client, &format!("users/{id}/identities"), "identities").await?;
        let mut owners = vec![id];
        if self.by_name {
            let query = format!("type:user \"{}\"", subject.name);
            let users = ok(client.search(&query, &[]).await, "users by name")?;
            owners.extend(
                users
                    .at("/results")
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|u| {
                        (u["name"] == subject.name.as_str())
                            .then(|| u["id"].as_i64())
                            .flatten()
                    }),
            );
            owners.dedup();
        }
        let mut tickets = Vec::new();
        let mut own = Vec::new();
        for owner in owners {
            for ticket in requested(client, owner).await? {
                own.push(ticket);
                let comments =
                    all(client, &format!("tickets/{ticket}/comments"), "comments").await?;
                tickets.push(json!({"id": ticket, "comments": comments}));
            }
        }
        let mut mentions = Vec::new();
        for ticket in mentioning(client, &subject, &own).await? {
            let ticket_id = ticket["id"].as_i64().unwrap_or_default();
            let comments =
                all(client, &format!("tickets/{ticket_id}/comments"), "comments").await?;
            let mut kept: Vec<Value> = Vec::new();
            for comment in comments {
                if self.whole_tickets || subject.comment_holds(client, &comment).await {
                    kept.push(comment);
                }
            }
            mentions.push(json!({"ticket_id": ticket_id, "comments": kept}));
        }
        let held = if self.skip_held {
            Vec::new()
        } else {
            held_emails(client, &subject).await?
        };
        let export = json!({"user": user["user"], "identities": identities, "tickets": tickets,
                            "mentions": mentions, "held_emails": held});
        let path = env.export_path.as_ref().ok_or("no EXPORT_PATH")?;
        std::fs::write(path, export.to_string()).map_err(|e| format!("writing the export: {e}"))
    }
}

/// What the suspender does; the default is right.
#[derive(Debug, Clone, Copy, Default)]
pub struct Suspender {
    /// Suspend everyone with the subject's name (precision).
    pub by_name: bool,
    /// Delete the user instead (objection).
    pub delete_instead: bool,
}

impl Suspender {
    /// Suspends the subject.
    pub async fn run(self, env: &ToolEnv) -> Result<(), String> {
        let client = &env.client;
        let subject = Subject::find(env, true).await?;
        let mut targets = vec![subject.id];
        if self.by_name {
            let query = format!("type:user \"{}\"", subject.name);
            let users = ok(client.search(&query, &[]).await, "users by name")?;
            targets.extend(
                users
                    .at("/results")
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|u| u["id"].as_i64()),
            );
            targets.dedup();
        }
        for id in targets {
            if self.delete_instead {
                // Its requested tickets would block the delete: close them first.
                for ticket in requested(client, id).await? {
                    ok(client.delete_ticket(ticket).await, "deleting a ticket")?;
                }
                ok(client.delete_user(id).await, "deleting the user")?;
            } else {
                let change = json!({"suspended": true});
                ok(client.update_user(id, change).await, "suspending")?;
            }
        }
        Ok(())
    }
}
