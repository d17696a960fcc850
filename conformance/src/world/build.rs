//! [`World::build`]: a [`WorldSpec`] resolved into people, texts and ground truth, keeping the
//! invariants listed in the module docs of [`super`]. Whatever the spec says, the result is a
//! world a correct tool can pass: references to people who are not there drop the ticket,
//! mentions a place may not hold are left out.

use super::spec::{Author, CommentSpec, Form, Mention, TicketSpec, Who, WorldSpec};
use super::text::{self, escape};
use super::{
    Attachment, Comment, Party, Person, Place, Plant, Role, Subject, Suspended, Ticket, World,
};

/// One identifier of the subject as a text will spell it, and as the ground truth records it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Written {
    /// As the subject's record has it (the plant's needle).
    needle: String,
    /// As the text spells it (an email may be in capitals).
    shown: String,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Email,
    Phone,
    Address,
    Name,
}

impl Written {
    fn unique(&self) -> bool {
        self.kind != Kind::Name
    }
}

impl World {
    /// Resolves a spec: people first (agents, namesakes, others), then tickets, then suspended
    /// tickets, each text written with its plants recorded.
    pub fn build(spec: &WorldSpec) -> World {
        let (first, last) = text::subject_name(spec.subject.name.index(text::subject_names()));
        let subject = Subject {
            name: format!("{first} {last}"),
            emails: (0..=spec.subject.extra_emails.min(2))
                .map(|n| text::subject_email(&first, &last, n))
                .collect(),
            phone: spec.subject.phone.then(|| text::SUBJECT_PHONE.to_owned()),
            address: spec
                .subject
                .address
                .then(|| text::SUBJECT_ADDRESS.to_owned()),
            suspended: spec.subject.suspended,
        };
        let mut people: Vec<Person> = (0..spec.agents.max(1))
            .map(|i| text::person(Role::Agent, i, &subject, false, false))
            .collect();
        for (i, p) in spec.namesakes.iter().enumerate() {
            people.push(text::person(
                Role::Namesake,
                i,
                &subject,
                p.phone,
                p.address,
            ));
        }
        for (i, p) in spec.others.iter().enumerate() {
            people.push(text::person(Role::Other, i, &subject, p.phone, p.address));
        }
        let mut world = World {
            plants: user_plants(&subject),
            subject,
            people,
            tickets: Vec::new(),
            suspended: Vec::new(),
        };
        for ticket in &spec.tickets {
            world.add_ticket(spec, ticket);
        }
        for held in &spec.suspended {
            world.add_suspended(spec, &held.from, &held.mentions);
        }
        world
    }

    /// The party a spec reference names, if that person exists.
    fn party(&self, spec: &WorldSpec, who: &Who) -> Option<Party> {
        let agents = spec.agents.max(1);
        match who {
            Who::Subject => Some(Party::Subject),
            Who::Namesake(i) if !spec.namesakes.is_empty() => {
                Some(Party::Person(agents + i.index(spec.namesakes.len())))
            }
            Who::Other(i) if !spec.others.is_empty() => Some(Party::Person(
                agents + spec.namesakes.len() + i.index(spec.others.len()),
            )),
            _ => None,
        }
    }

    fn role(&self, party: Party) -> Option<Role> {
        match party {
            Party::Subject => None,
            Party::Person(i) => Some(self.people[i].role),
        }
    }

    /// The subject's identifiers a mention list names, once each, in order.
    fn written(&self, mentions: &[Mention]) -> Vec<Written> {
        let subject = &self.subject;
        let mut out: Vec<Written> = Vec::new();
        for mention in mentions {
            let found = match *mention {
                Mention::Email { which, upper } => {
                    let email = &subject.emails[which.index(subject.emails.len())];
                    let shown = if upper {
                        email.to_uppercase()
                    } else {
                        email.clone()
                    };
                    Some((email.clone(), shown, Kind::Email))
                }
                Mention::Phone => subject.phone.clone().map(|p| (p.clone(), p, Kind::Phone)),
                Mention::Address => subject
                    .address
                    .clone()
                    .map(|a| (a.clone(), a, Kind::Address)),
                Mention::Name => Some((subject.name.clone(), subject.name.clone(), Kind::Name)),
            };
            if let Some((needle, shown, kind)) = found
                && !out.iter().any(|w| w.needle == needle)
            {
                out.push(Written {
                    needle,
                    shown,
                    kind,
                });
            }
        }
        out
    }

    fn add_ticket(&mut self, spec: &WorldSpec, ticket: &TicketSpec) {
        let Some(requester) = self.party(spec, &ticket.requester) else {
            return;
        };
        let t = self.tickets.len();
        let theirs = requester == Party::Subject;
        // Namesakes' tickets are the trap, never the subject's data; someone else's deleted
        // ticket cannot be found through the API, so it holds none of it either.
        let may_mention =
            self.role(requester) != Some(Role::Namesake) && (theirs || !ticket.deleted);
        let mentions: Vec<Vec<Written>> = ticket
            .comments
            .iter()
            .map(|c| {
                let written = if may_mention {
                    self.written(&c.mentions)
                } else {
                    Vec::new()
                };
                // Outside the subject's tickets the name alone would be ambiguous.
                if theirs || written.iter().any(Written::unique) {
                    written
                } else {
                    Vec::new()
                }
            })
            .collect();
        let findable = theirs || mentions.iter().flatten().any(Written::unique);
        let mut comments = Vec::new();
        for (c, (comment, written)) in ticket.comments.iter().zip(mentions).enumerate() {
            let author = match comment.author {
                Author::Requester => requester,
                Author::Agent(i) => Party::Person(i.index(spec.agents.max(1))),
            };
            let pii_attachment = may_mention && findable && comment.attachment == Some(true);
            comments.push(self.comment(t, c, requester, author, comment, written, pii_attachment));
        }
        self.tickets.push(Ticket {
            title: text::title(t),
            requester,
            status: ticket.status,
            deleted: ticket.deleted,
            comments,
        });
    }

    /// Writes comment `c` of ticket `t` and records its plants.
    #[allow(clippy::too_many_arguments)]
    fn comment(
        &mut self,
        t: usize,
        c: usize,
        requester: Party,
        author: Party,
        spec: &CommentSpec,
        mut written: Vec<Written>,
        pii_attachment: bool,
    ) -> Comment {
        let marker = text::comment_marker(t, c);
        let opening = match author {
            Party::Person(i) if self.people[i].role == Role::Agent => {
                "Thanks for reaching out, we are looking into it.".to_owned()
            }
            _ => format!("Hello, this is about my {}.", text::topic(t)),
        };
        // The subject signs their own comments with their name; others with their own
        // identifiers (a namesake's signature is the namesake's data, name included).
        let signature = match author {
            Party::Subject => {
                if !written.iter().any(|w| w.kind == Kind::Name) {
                    let name = self.subject.name.clone();
                    written.push(Written {
                        needle: name.clone(),
                        shown: name,
                        kind: Kind::Name,
                    });
                }
                format!("Regards, {}", self.subject.name)
            }
            Party::Person(i) => {
                let person = &self.people[i];
                match person.role {
                    Role::Agent => format!("Best, {}", person.name),
                    _ => format!(
                        "Regards, {}, {}",
                        person.name,
                        person.identifiers().join(", ")
                    ),
                }
            }
        };
        let (body, html) = render(&opening, &written, &signature, &marker, spec.form, author);
        let place = Place::Comment {
            ticket: t,
            comment: c,
        };
        for w in &written {
            self.plants.push(Plant {
                needle: w.needle.clone(),
                place,
            });
        }
        let attachments = match spec.attachment {
            None => Vec::new(),
            Some(_) if pii_attachment => vec![self.pii_attachment(t, c)],
            Some(_) => vec![Attachment {
                file_name: format!("invoice-{}.txt", marker.replace(' ', "-").to_lowercase()),
                content: format!("Invoice for the {}. Nothing personal here.", text::topic(t)),
            }],
        };
        let public = requester == author || spec.public;
        Comment {
            author,
            public,
            body,
            html,
            marker,
            attachments,
        }
    }

    /// A scanned form holding the subject's name, primary email and what else they have.
    fn pii_attachment(&mut self, t: usize, c: usize) -> Attachment {
        let subject = &self.subject;
        let mut lines = vec![
            format!("Name: {}", subject.name),
            format!("Email: {}", subject.email()),
        ];
        let mut needles = vec![subject.name.clone(), subject.email().to_owned()];
        if let Some(address) = &subject.address {
            lines.push(format!("Address: {address}"));
            needles.push(address.clone());
        }
        if let Some(phone) = &subject.phone {
            lines.push(format!("Phone: {phone}"));
            needles.push(phone.clone());
        }
        let place = Place::Attachment {
            ticket: t,
            comment: c,
            attachment: 0,
        };
        self.plants
            .extend(needles.into_iter().map(|needle| Plant { needle, place }));
        Attachment {
            file_name: format!(
                "scanned-form-{}.txt",
                text::comment_marker(t, c).replace(' ', "-").to_lowercase()
            ),
            content: format!("Scanned form\n{}\n", lines.join("\n")),
        }
    }

    fn add_suspended(&mut self, spec: &WorldSpec, from: &Who, mentions: &[Mention]) {
        let Some(party) = self.party(spec, from) else {
            return;
        };
        let index = self.suspended.len();
        let marker = text::suspended_marker(index);
        let held = match party {
            Party::Subject => {
                self.subject.suspended = true;
                let written = self.written(mentions);
                let place = Place::Suspended { index };
                let mut needles = vec![self.subject.email().to_owned(), self.subject.name.clone()];
                needles.extend(written.iter().map(|w| w.needle.clone()));
                for needle in needles {
                    if !self
                        .plants
                        .iter()
                        .any(|p| p.place == place && p.needle == needle)
                    {
                        self.plants.push(Plant { needle, place });
                    }
                }
                let contact =
                    sentence(&written.iter().map(|w| w.shown.clone()).collect::<Vec<_>>());
                Suspended {
                    from: party,
                    name: self.subject.name.clone(),
                    email: self.subject.email().to_owned(),
                    title: "Another question".to_owned(),
                    body: format!(
                        "Hello, I am writing again. {contact}Regards, {} ({marker})",
                        self.subject.name
                    )
                    .replace("  ", " "),
                    marker,
                }
            }
            Party::Person(i) => {
                let person = &mut self.people[i];
                person.suspended = true;
                Suspended {
                    from: party,
                    name: person.name.clone(),
                    email: person.email.clone(),
                    title: "Please call me back".to_owned(),
                    body: format!(
                        "Hello, please call me back. Regards, {} ({marker})",
                        person.name
                    ),
                    marker,
                }
            }
        };
        self.suspended.push(held);
    }
}

/// The subject's record holds all of their identifiers.
fn user_plants(subject: &Subject) -> Vec<Plant> {
    subject
        .needles()
        .into_iter()
        .map(|needle| Plant {
            needle,
            place: Place::User,
        })
        .collect()
}

/// "Contact: a, b. " for identifiers as written, or nothing.
fn sentence(shown: &[String]) -> String {
    if shown.is_empty() {
        String::new()
    } else {
        format!("Contact: {}. ", shown.join(", "))
    }
}

/// The comment's `body` (plain form) or `html_body` (HTML forms).
fn render(
    opening: &str,
    written: &[Written],
    signature: &str,
    marker: &str,
    form: Form,
    author: Party,
) -> (Option<String>, Option<String>) {
    // The subject's own name is in the signature already; other mentions go in the sentence.
    let in_sentence: Vec<&Written> = written
        .iter()
        .filter(|w| !(author == Party::Subject && w.kind == Kind::Name))
        .collect();
    match form {
        Form::Plain => {
            let shown: Vec<String> = in_sentence.iter().map(|w| w.shown.clone()).collect();
            let body = format!("{opening} {}{signature} ({marker})", sentence(&shown));
            (Some(body), None)
        }
        Form::Html | Form::Link => {
            let items: Vec<String> = in_sentence
                .iter()
                .map(|w| match (form, w.kind) {
                    (Form::Link, Kind::Email) => format!(
                        "<a href=\"mailto:{}\">{}</a>",
                        escape(&w.shown),
                        escape(&w.shown)
                    ),
                    _ => format!("<strong>{}</strong>", escape(&w.shown)),
                })
                .collect();
            let contact = if items.is_empty() {
                String::new()
            } else {
                format!("<p>Contact: {}.</p>", items.join(", "))
            };
            let html = format!(
                "<p>{}</p>{contact}<p>{} ({})</p>",
                escape(opening),
                escape(signature),
                escape(marker)
            );
            (None, Some(html))
        }
    }
}
