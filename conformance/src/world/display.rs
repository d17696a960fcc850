//! A world, printed for people: one line per person, ticket, comment, attachment and held
//! email, each place holding the subject's data marked with what it holds (`⟵ email, name`).

use super::{Party, Place, Role, World};
use std::fmt;

impl World {
    /// What `place` holds of the subject, as `⟵ a, b`, or nothing.
    fn holdings(&self, place: Place) -> String {
        let needles: Vec<String> = self.plants_in(place).map(|p| p.needle.clone()).collect();
        if needles.is_empty() {
            String::new()
        } else {
            format!("  ⟵ {}", needles.join(" | "))
        }
    }

    fn who(&self, party: Party) -> String {
        match party {
            Party::Subject => "the subject".to_owned(),
            Party::Person(i) => self.people[i].reference.clone(),
        }
    }
}

impl fmt::Display for World {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.subject;
        let mut extras = Vec::new();
        extras.extend(s.phone.clone());
        extras.extend(s.address.as_ref().map(|a| format!("\"{a}\"")));
        if s.suspended {
            extras.push("suspended".to_owned());
        }
        let extras = if extras.is_empty() {
            String::new()
        } else {
            format!(", {}", extras.join(", "))
        };
        writeln!(
            f,
            "subject     {} <{}>{extras}",
            s.name,
            s.emails.join(", ")
        )?;
        for person in &self.people {
            let role = match person.role {
                Role::Agent => "agent",
                Role::Namesake => "namesake, same name",
                Role::Other => "end user",
            };
            let mut ids = person.identifiers();
            if person.suspended {
                ids.push("suspended".to_owned());
            }
            writeln!(
                f,
                "{:<11} {} ({role}) <{}>",
                person.reference,
                person.name,
                ids.join(", ")
            )?;
        }
        for (t, ticket) in self.tickets.iter().enumerate() {
            let deleted = if ticket.deleted { ", soft-deleted" } else { "" };
            let holds = if self.ticket_holds(t) { "" } else { ", clean" };
            writeln!(
                f,
                "ticket-{t:<4} {}{deleted}, requested by {}: \"{}\"{holds}",
                ticket.status.as_str(),
                self.who(ticket.requester),
                ticket.title
            )?;
            for (c, comment) in ticket.comments.iter().enumerate() {
                let text = comment.body.as_ref().or(comment.html.as_ref());
                let kind = if comment.body.is_some() {
                    "text"
                } else {
                    "html"
                };
                let visibility = if comment.public { "public" } else { "internal" };
                writeln!(
                    f,
                    "  comment-{c} by {}, {visibility}, {kind}: {}{}",
                    self.who(comment.author),
                    text.map_or("", String::as_str),
                    self.holdings(Place::Comment {
                        ticket: t,
                        comment: c
                    })
                )?;
                for (a, attachment) in comment.attachments.iter().enumerate() {
                    let place = Place::Attachment {
                        ticket: t,
                        comment: c,
                        attachment: a,
                    };
                    writeln!(
                        f,
                        "    attachment {}: {:?}{}",
                        attachment.file_name,
                        attachment.content,
                        self.holdings(place)
                    )?;
                }
            }
        }
        for (index, held) in self.suspended.iter().enumerate() {
            writeln!(
                f,
                "suspended-{index} from {} <{}>: {}{}",
                self.who(held.from),
                held.email,
                held.body,
                self.holdings(Place::Suspended { index })
            )?;
        }
        Ok(())
    }
}
