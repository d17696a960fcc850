//! [`WorldSpec`]: the generated, shrinkable description of a world. Lists shrink by dropping
//! entries, references are [`Index`]es resolved against whatever is left, booleans shrink to
//! `false` and enums to their first (simplest) variant — so a failing world shrinks towards
//! the fewest people, tickets and comments that still fail.

use super::Status;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;

/// Upper bounds on a generated world. The defaults keep a world small enough that a failure
/// is readable and a run of 200 worlds takes minutes against a Python tool.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Agents besides the account owner (at least one is always there).
    pub max_agents: usize,
    pub max_namesakes: usize,
    /// End users other than the subject and the namesakes.
    pub max_others: usize,
    pub max_tickets: usize,
    /// Comments per ticket (at least one).
    pub max_comments: usize,
    pub max_suspended: usize,
}

impl Default for Sizes {
    fn default() -> Self {
        Self {
            max_agents: 2,
            max_namesakes: 2,
            max_others: 3,
            max_tickets: 6,
            max_comments: 3,
            max_suspended: 2,
        }
    }
}

/// Someone's place in a list of people, resolved when the world is built.
#[derive(Debug, Clone, Copy)]
pub enum Who {
    Subject,
    /// A namesake, by position among the namesakes.
    Namesake(Index),
    /// Another end user, by position among them.
    Other(Index),
}

/// Who wrote a comment.
#[derive(Debug, Clone, Copy)]
pub enum Author {
    /// The ticket's requester (always public).
    Requester,
    /// An agent, by position among the agents.
    Agent(Index),
}

/// One of the subject's identifiers written into a text.
#[derive(Debug, Clone, Copy)]
pub enum Mention {
    /// An email, by position among the subject's emails; `upper` writes it in capitals.
    Email {
        which: Index,
        upper: bool,
    },
    Phone,
    Address,
    Name,
}

/// How a comment's text is given.
#[derive(Debug, Clone, Copy)]
pub enum Form {
    /// `body`: plain text.
    Plain,
    /// `html_body`: a paragraph, identifiers in `<strong>`.
    Html,
    /// `html_body` with emails as `mailto:` links: the email sits in an attribute too.
    Link,
}

/// The subject's record.
#[derive(Debug, Clone)]
pub struct SubjectSpec {
    /// Which name from the pool.
    pub name: Index,
    /// Emails besides the primary one.
    pub extra_emails: usize,
    pub phone: bool,
    pub address: bool,
    pub suspended: bool,
}

/// A namesake or another end user.
#[derive(Debug, Clone)]
pub struct PersonSpec {
    pub phone: bool,
    pub address: bool,
}

/// A comment.
#[derive(Debug, Clone)]
pub struct CommentSpec {
    pub author: Author,
    pub public: bool,
    pub mentions: Vec<Mention>,
    pub form: Form,
    /// An attachment; `Some(true)` when its content holds the subject's data.
    pub attachment: Option<bool>,
}

/// A ticket.
#[derive(Debug, Clone)]
pub struct TicketSpec {
    pub requester: Who,
    pub status: Status,
    pub deleted: bool,
    pub comments: Vec<CommentSpec>,
}

/// A held email; its sender is suspended.
#[derive(Debug, Clone)]
pub struct SuspendedSpec {
    pub from: Who,
    pub mentions: Vec<Mention>,
}

/// A generated world, before its texts are written.
#[derive(Debug, Clone)]
pub struct WorldSpec {
    pub subject: SubjectSpec,
    pub agents: usize,
    pub namesakes: Vec<PersonSpec>,
    pub others: Vec<PersonSpec>,
    pub tickets: Vec<TicketSpec>,
    pub suspended: Vec<SuspendedSpec>,
}

fn who() -> impl Strategy<Value = Who> {
    // The subject's own tickets are the common case; namesakes' the trap.
    prop_oneof![
        3 => Just(Who::Subject),
        2 => any::<Index>().prop_map(Who::Other),
        1 => any::<Index>().prop_map(Who::Namesake),
    ]
}

fn mention() -> impl Strategy<Value = Mention> {
    prop_oneof![
        (any::<Index>(), prop::bool::weighted(0.2))
            .prop_map(|(which, upper)| Mention::Email { which, upper }),
        Just(Mention::Phone),
        Just(Mention::Address),
        Just(Mention::Name),
    ]
}

fn form() -> impl Strategy<Value = Form> {
    prop_oneof![Just(Form::Plain), Just(Form::Html), Just(Form::Link)]
}

fn comment() -> impl Strategy<Value = CommentSpec> {
    let author = prop_oneof![
        Just(Author::Requester),
        any::<Index>().prop_map(Author::Agent)
    ];
    (
        author,
        prop::bool::weighted(0.8),
        vec(mention(), 0..=3),
        form(),
        prop::option::weighted(0.25, any::<bool>()),
    )
        .prop_map(|(author, public, mentions, form, attachment)| CommentSpec {
            author,
            public,
            mentions,
            form,
            attachment,
        })
}

fn ticket(max_comments: usize) -> impl Strategy<Value = TicketSpec> {
    (
        who(),
        prop::sample::select(Status::ALL.to_vec()),
        prop::bool::weighted(0.15),
        vec(comment(), 1..=max_comments.max(1)),
    )
        .prop_map(|(requester, status, deleted, comments)| TicketSpec {
            requester,
            status,
            deleted,
            comments,
        })
}

fn person() -> impl Strategy<Value = PersonSpec> {
    (any::<bool>(), any::<bool>()).prop_map(|(phone, address)| PersonSpec { phone, address })
}

impl WorldSpec {
    /// The strategy generating worlds within `sizes`.
    pub fn strategy(sizes: Sizes) -> impl Strategy<Value = WorldSpec> {
        let subject = (
            any::<Index>(),
            0..=2usize,
            any::<bool>(),
            any::<bool>(),
            prop::bool::weighted(0.15),
        )
            .prop_map(
                |(name, extra_emails, phone, address, suspended)| SubjectSpec {
                    name,
                    extra_emails,
                    phone,
                    address,
                    suspended,
                },
            );
        let suspended = (who(), vec(mention(), 0..=2))
            .prop_map(|(from, mentions)| SuspendedSpec { from, mentions });
        (
            subject,
            1..=sizes.max_agents.max(1),
            vec(person(), 0..=sizes.max_namesakes),
            vec(person(), 0..=sizes.max_others),
            vec(ticket(sizes.max_comments), 0..=sizes.max_tickets),
            vec(suspended, 0..=sizes.max_suspended),
        )
            .prop_map(|(subject, agents, namesakes, others, tickets, suspended)| {
                WorldSpec {
                    subject,
                    agents,
                    namesakes,
                    others,
                    tickets,
                    suspended,
                }
            })
    }
}
