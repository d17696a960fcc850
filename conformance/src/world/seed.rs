//! [`World::to_seed`]: a world as the body of `POST /__mock/seed` (the mock's seed format,
//! `mock-server/src/store/seed.rs`), also loadable at start with `zendesk-mock --seed FILE`.
//! Users, tickets and suspended tickets keep the world's order, so the seed's reply lists
//! their ids by position.

use super::{Party, Role, SUBJECT_REF, World};
use serde_json::{Map, Value, json};

impl World {
    /// The seed document: users (agents, the subject, namesakes, others), tickets with their
    /// comments and attachments, and the held emails of suspended senders.
    pub fn to_seed(&self) -> Value {
        let mut users = Vec::new();
        let agents = self.people.iter().filter(|p| p.role == Role::Agent);
        let end_users = self.people.iter().filter(|p| p.role != Role::Agent);
        for person in agents {
            users.push(json!({"ref": person.reference, "name": person.name,
                "email": person.email, "role": "agent", "verified": true}));
        }
        users.push(self.subject_seed());
        for person in end_users {
            let mut user = json!({"ref": person.reference, "name": person.name,
                "email": person.email, "verified": true});
            if let Some(phone) = &person.phone {
                user["phone"] = json!(phone);
            }
            if let Some(address) = &person.address {
                user["details"] = json!(address);
            }
            if person.suspended {
                user["suspended"] = json!(true);
            }
            users.push(user);
        }
        let tickets: Vec<Value> = self
            .tickets
            .iter()
            .enumerate()
            .map(|(t, ticket)| {
                let comments: Vec<Value> = ticket
                    .comments
                    .iter()
                    .map(|c| {
                        let mut comment = Map::new();
                        comment.insert("author".into(), json!(self.reference(c.author)));
                        comment.insert("public".into(), json!(c.public));
                        if let Some(body) = &c.body {
                            comment.insert("body".into(), json!(body));
                        }
                        if let Some(html) = &c.html {
                            comment.insert("html_body".into(), json!(html));
                        }
                        if !c.attachments.is_empty() {
                            let files: Vec<Value> = c
                                .attachments
                                .iter()
                                .map(|a| json!({"file_name": a.file_name, "content": a.content}))
                                .collect();
                            comment.insert("attachments".into(), Value::Array(files));
                        }
                        Value::Object(comment)
                    })
                    .collect();
                let mut seed = json!({"ref": format!("ticket-{t}"), "subject": ticket.title,
                    "requester": self.reference(ticket.requester),
                    "status": ticket.status.as_str(), "comments": comments});
                if ticket.deleted {
                    seed["deleted"] = json!("soft");
                }
                seed
            })
            .collect();
        let suspended: Vec<Value> = self
            .suspended
            .iter()
            .map(|s| json!({"name": s.name, "email": s.email, "subject": s.title, "body": s.body}))
            .collect();
        json!({"users": users, "tickets": tickets, "suspended_tickets": suspended})
    }

    fn subject_seed(&self) -> Value {
        let s = &self.subject;
        let identities: Vec<Value> = s
            .emails
            .iter()
            .skip(1)
            .map(|e| json!({"type": "email", "value": e}))
            .collect();
        let mut user = json!({"ref": SUBJECT_REF, "name": s.name, "email": s.email(),
            "verified": true});
        if !identities.is_empty() {
            user["identities"] = Value::Array(identities);
        }
        if let Some(phone) = &s.phone {
            user["phone"] = json!(phone);
        }
        if let Some(address) = &s.address {
            user["details"] = json!(address);
        }
        if s.suspended {
            user["suspended"] = json!(true);
        }
        user
    }

    /// Where a party sits in the seed's `users` list (agents, then the subject, then the
    /// other end users) — the index of its id in the seed's reply.
    pub fn seed_position(&self, party: Party) -> usize {
        let agents = self.people.iter().filter(|p| p.role == Role::Agent).count();
        match party {
            Party::Subject => agents,
            Party::Person(i) if self.people[i].role == Role::Agent => i,
            Party::Person(i) => i + 1,
        }
    }
}
