//! The model as a proptest-state-machine reference: which operations may come next, and the
//! model's state after each. Generation and shrinking are proptest-state-machine's
//! [`Sequential`] strategy; the runner
//! ([`super::runner`]) executes each sequence against the model and the target.

use super::ops::{Op, Pad, Query, Which, Who};
use super::pools::{EMAILS, NAME_QUERIES, NAMES, REDACTIONS, SUBJECTS, TICKET_QUERIES, WORDS};
use super::state::{Model, Rules, Status};
use proptest::collection::{SizeRange, vec};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest_state_machine::ReferenceStateMachine;
use proptest_state_machine::strategy::Sequential;

/// The reference state machine, with Zendesk's schedule ([`Rules::ZENDESK`]).
pub struct ZendeskModel;

impl ReferenceStateMachine for ZendeskModel {
    type State = Model;
    type Transition = Op;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model::new(Rules::ZENDESK)).boxed()
    }

    fn transitions(state: &Model) -> BoxedStrategy<Op> {
        operations(state)
    }

    /// Steps the model; the response is the runner's business.
    fn apply(mut state: Model, op: &Op) -> Model {
        if let Some(step) = op.resolve(&state) {
            state.apply(&step);
        }
        state
    }

    /// An operation must name entities of a kind the model has (shrinking may delete the
    /// ticket a later operation needed).
    fn preconditions(state: &Model, op: &Op) -> bool {
        op.resolve(state).is_some()
    }
}

/// Sequences of `size` operations on a model with these `rules`.
pub fn sequences(
    rules: Rules,
    size: impl Into<SizeRange>,
) -> Sequential<Model, Op, BoxedStrategy<Model>, BoxedStrategy<Op>> {
    Sequential::new(
        size.into(),
        move || Just(Model::new(rules)).boxed(),
        ZendeskModel::preconditions,
        ZendeskModel::transitions,
        ZendeskModel::apply,
    )
}

fn words() -> impl Strategy<Value = Vec<&'static str>> {
    vec(select(&WORDS[..]), 1..=4)
}

fn status() -> impl Strategy<Value = Status> {
    select(&Status::ALL[..])
}

/// Bulk id lists: mostly a few entities, sometimes padded to the limit or one past it.
fn pad() -> impl Strategy<Value = Pad> {
    prop_oneof![8 => Just(Pad::None), 1 => Just(Pad::To100), 1 => Just(Pad::To101)]
}

/// A user: mostly one the sequence created, sometimes the owner.
fn who() -> impl Strategy<Value = Who> {
    prop_oneof![1 => Just(Who::Owner), 7 => any::<Index>().prop_map(Who::Other)]
}

/// A user for a permanent delete: mostly a soft-deleted one.
fn deleted_who() -> impl Strategy<Value = Who> {
    prop_oneof![
        1 => Just(Who::Owner),
        2 => any::<Index>().prop_map(Who::Other),
        5 => any::<Index>().prop_map(Who::SoftDeleted),
    ]
}

fn which() -> impl Strategy<Value = Which> {
    any::<Index>().prop_map(Which::Any)
}

/// A ticket for a restore or permanent delete: mostly a soft-deleted one.
fn deleted_which() -> impl Strategy<Value = Which> {
    prop_oneof![
        1 => any::<Index>().prop_map(Which::Any),
        3 => any::<Index>().prop_map(Which::SoftDeleted),
    ]
}

/// Clock advances around the thresholds: under, at and past 4 and 30 days.
fn days() -> impl Strategy<Value = i64> {
    select(&[1_i64, 2, 3, 4, 26, 29, 30, 31][..])
}

/// The operations that may follow `state`, weighted toward the ones the privacy rules are
/// about, and toward creating users and tickets while there are few. Operations on tickets
/// (and suspensions, which skip the owner) appear once there is something to apply them to.
pub fn operations(state: &Model) -> BoxedStrategy<Op> {
    let few_users = state.users.len() < 3;
    let few_tickets = state.tickets.len() < 2;
    let mut weighted: Vec<(u32, BoxedStrategy<Op>)> = vec![
        (
            if few_users { 10 } else { 4 },
            (
                select(&NAMES[..]),
                proptest::option::of(select(&EMAILS[..])),
                any::<bool>(),
            )
                .prop_map(|(name, email, phone)| Op::CreateUser { name, email, phone })
                .boxed(),
        ),
        (
            2,
            (
                who(),
                proptest::option::of(select(&NAMES[..])),
                proptest::option::of(select(&EMAILS[..])),
            )
                .prop_map(|(user, name, email)| Op::UpdateUser { user, name, email })
                .boxed(),
        ),
        (
            1,
            (who(), select(&EMAILS[..]))
                .prop_map(|(user, email)| Op::AddIdentity { user, email })
                .boxed(),
        ),
        (3, who().prop_map(|user| Op::DeleteUser { user }).boxed()),
        (
            2,
            deleted_who()
                .prop_map(|user| Op::PermanentlyDeleteUser { user })
                .boxed(),
        ),
        (
            1,
            (vec(who(), 1..=4), pad())
                .prop_map(|(users, pad)| Op::DestroyManyUsers { users, pad })
                .boxed(),
        ),
        (1, who().prop_map(|user| Op::ShowUser { user }).boxed()),
        (
            1,
            who().prop_map(|user| Op::RequestedTickets { user }).boxed(),
        ),
        (
            1,
            deleted_who()
                .prop_map(|user| Op::ShowDeletedUser { user })
                .boxed(),
        ),
        (
            1,
            prop_oneof![
                select(&EMAILS[..]).prop_map(Query::Email),
                select(&NAME_QUERIES[..]).prop_map(Query::Name),
            ]
            .prop_map(|query| Op::SearchUsers { query })
            .boxed(),
        ),
        (
            2,
            select(&TICKET_QUERIES[..])
                .prop_map(|word| Op::SearchTickets { word })
                .boxed(),
        ),
        (
            if few_tickets { 8 } else { 4 },
            (
                who(),
                proptest::option::of(status()),
                select(&SUBJECTS[..]),
                words(),
            )
                .prop_map(|(requester, status, subject, words)| Op::CreateTicket {
                    requester,
                    status,
                    subject,
                    words,
                })
                .boxed(),
        ),
        (3, days().prop_map(|days| Op::AdvanceClock { days }).boxed()),
    ];
    if state.users.len() > 1 {
        weighted.push((
            1,
            (any::<Index>(), any::<bool>())
                .prop_map(|(user, suspended)| Op::Suspend { user, suspended })
                .boxed(),
        ));
    }
    if !state.tickets.is_empty() {
        let ticket_ops: Vec<(u32, BoxedStrategy<Op>)> = vec![
            // `new` is not offered: moving a ticket back to new is not something Zendesk
            // documents either way.
            (
                3,
                (which(), select(&Status::ALL[1..]))
                    .prop_map(|(ticket, status)| Op::SetStatus { ticket, status })
                    .boxed(),
            ),
            (
                2,
                (which(), words(), any::<bool>())
                    .prop_map(|(ticket, words, public)| Op::AddComment {
                        ticket,
                        words,
                        public,
                    })
                    .boxed(),
            ),
            (
                2,
                (which(), any::<Index>(), select(&REDACTIONS[..]))
                    .prop_map(|(ticket, comment, text)| Op::RedactText {
                        ticket,
                        comment,
                        text,
                    })
                    .boxed(),
            ),
            (
                1,
                (
                    which(),
                    any::<Index>(),
                    select(&REDACTIONS[..REDACTIONS.len() - 1]),
                )
                    .prop_map(|(ticket, comment, text)| Op::RedactMarkup {
                        ticket,
                        comment,
                        text,
                    })
                    .boxed(),
            ),
            (
                2,
                which()
                    .prop_map(|ticket| Op::DeleteTicket { ticket })
                    .boxed(),
            ),
            (
                2,
                deleted_which()
                    .prop_map(|ticket| Op::RestoreTicket { ticket })
                    .boxed(),
            ),
            (
                1,
                deleted_which()
                    .prop_map(|ticket| Op::PermanentlyDeleteTicket { ticket })
                    .boxed(),
            ),
            (
                1,
                (vec(which(), 1..=4), pad())
                    .prop_map(|(tickets, pad)| Op::DestroyManyTickets { tickets, pad })
                    .boxed(),
            ),
            (
                1,
                which().prop_map(|ticket| Op::ShowTicket { ticket }).boxed(),
            ),
            (
                1,
                which()
                    .prop_map(|ticket| Op::ListComments { ticket })
                    .boxed(),
            ),
        ];
        weighted.extend(ticket_ops);
    }
    proptest::strategy::Union::new_weighted(weighted).boxed()
}
