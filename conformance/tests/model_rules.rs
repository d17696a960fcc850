//! The pure reference model on its own: each rule of the facts sheet it encodes, step by step,
//! with no server involved.

use zendesk_conformance::model::ops::{Op, Pad, Step, Which, Who};
use zendesk_conformance::model::state::{Status, UserState};
use zendesk_conformance::model::views::{JobResults, Lenient, Ref, Response};
use zendesk_conformance::model::{Model, Rules};

fn model() -> Model {
    Model::new(Rules::ZENDESK)
}

fn create_user(m: &mut Model, name: &str, email: Option<&str>) -> usize {
    let user = m.users.len();
    let r = m.apply(&Step::CreateUser {
        user,
        name: name.to_owned(),
        email: email.map(str::to_owned),
        phone: None,
    });
    assert_eq!(r.status(), Some(201), "{r}");
    user
}

fn create_ticket(m: &mut Model, requester: usize, status: Status, body: &str) -> usize {
    let ticket = m.tickets.len();
    let r = m.apply(&Step::CreateTicket {
        ticket,
        requester,
        status: Some(status),
        subject: "Refund".to_owned(),
        body: body.to_owned(),
    });
    assert_eq!(r.status(), Some(201), "{r}");
    ticket
}

fn error_of(r: &Response) -> (u16, &str, Option<&str>, Option<&str>) {
    match r {
        Response::Error {
            status,
            error,
            field,
            description,
        } => (*status, error, field.as_deref(), description.as_deref()),
        other => panic!("expected an error, got {other}"),
    }
}

#[test]
fn the_guard_counts_every_live_ticket_that_is_not_closed_solved_included() {
    let mut m = model();
    let u = create_user(&mut m, "Ann Lee", Some("jd@x.example"));
    create_ticket(&mut m, u, Status::Open, "Jane");
    create_ticket(&mut m, u, Status::Solved, "Doe");
    create_ticket(&mut m, u, Status::Closed, "Elm");
    let r = m.apply(&Step::DeleteUser { user: u });
    assert_eq!(
        error_of(&r),
        (
            422,
            "RecordInvalid",
            Some("base"),
            Some("User is requester on 2 ticket(s) that are not closed.")
        )
    );
    assert_eq!(m.users[u].state, UserState::Active);
}

#[test]
fn soft_deleted_tickets_do_not_count_for_the_guard() {
    let mut m = model();
    let u = create_user(&mut m, "Ann Lee", None);
    let t = create_ticket(&mut m, u, Status::Pending, "Jane");
    assert_eq!(
        m.apply(&Step::DeleteTicket { ticket: t }),
        Response::Empty { status: 204 }
    );
    let r = m.apply(&Step::DeleteUser { user: u });
    assert_eq!(r.status(), Some(200), "{r}");
    assert!(matches!(m.users[u].state, UserState::SoftDeleted { .. }));
}

#[test]
fn the_owner_cannot_be_deleted() {
    let mut m = model();
    let r = m.apply(&Step::DeleteUser { user: 0 });
    assert_eq!(error_of(&r), (403, "Forbidden", None, None));
}

#[test]
fn permanent_delete_needs_a_soft_delete_first_and_leaves_the_placeholder() {
    let mut m = model();
    let u = create_user(&mut m, "Ann Lee", Some("jd@x.example"));
    let r = m.apply(&Step::PermanentlyDeleteUser { user: u });
    assert_eq!(error_of(&r).0, 404);
    m.apply(&Step::DeleteUser { user: u });
    let r = m.apply(&Step::PermanentlyDeleteUser { user: u });
    let Response::DeletedUser { status: 200, user } = r else {
        panic!("expected a deleted_user, got {r}");
    };
    assert_eq!(user.name, "Permanently Deleted User");
    assert_eq!(user.email, Lenient::Is(None));
    assert_eq!(error_of(&m.apply(&Step::ShowUser { user: u })).0, 404);
    assert_eq!(
        error_of(&m.apply(&Step::PermanentlyDeleteUser { user: u })).0,
        404
    );
    let listing = m.listing();
    assert!(listing.users.iter().all(|v| v.user != u));
    assert_eq!(listing.deleted_users.len(), 1);
    assert_eq!(listing.deleted_users[0].name, "Permanently Deleted User");
}

#[test]
fn a_soft_deleted_user_is_still_shown_inactive_and_frees_its_email() {
    let mut m = model();
    let u = create_user(&mut m, "Ann Lee", Some("jd@x.example"));
    m.apply(&Step::DeleteUser { user: u });
    let Response::User { status: 200, user } = m.apply(&Step::ShowUser { user: u }) else {
        panic!("a soft-deleted user is shown");
    };
    assert!(!user.active);
    assert_eq!(user.email, Lenient::NullOr("jd@x.example".to_owned()));
    // The email is free again.
    create_user(&mut m, "Bob Roe", Some("jd@x.example"));
}

#[test]
fn a_taken_email_is_refused_on_create_update_and_identity() {
    let mut m = model();
    let a = create_user(&mut m, "Ann Lee", Some("jd@x.example"));
    let b = create_user(&mut m, "Bob Roe", None);
    let create = m.apply(&Step::CreateUser {
        user: 3,
        name: "Cy Poe".to_owned(),
        email: Some("jd@x.example".to_owned()),
        phone: None,
    });
    assert_eq!(error_of(&create).2, Some("email"));
    let update = m.apply(&Step::UpdateUser {
        user: b,
        name: Some("Di Fox".to_owned()),
        email: Some("jd@x.example".to_owned()),
    });
    assert_eq!(error_of(&update).2, Some("email"));
    assert_eq!(
        m.users[b].name, "Bob Roe",
        "a refused update changes nothing"
    );
    let identity = m.apply(&Step::AddIdentity {
        user: a,
        email: "jd@x.example".to_owned(),
    });
    assert_eq!(
        error_of(&identity),
        (
            422,
            "RecordInvalid",
            Some("value"),
            Some("Value: jd@x.example is already being used by another user")
        )
    );
}

#[test]
fn updating_the_email_adds_a_secondary_identity_once() {
    let mut m = model();
    let u = create_user(&mut m, "Ann Lee", Some("jd@x.example"));
    for _ in 0..2 {
        let r = m.apply(&Step::UpdateUser {
            user: u,
            name: None,
            email: Some("kw@x.example".to_owned()),
        });
        let Response::User { user, .. } = r else {
            panic!("expected a user, got {r}");
        };
        assert_eq!(user.email, Lenient::Is(Some("jd@x.example".to_owned())));
    }
    let identities = m.identity_views(u);
    assert_eq!(identities.len(), 2);
    assert!(identities[0].primary && !identities[1].primary);
}

#[test]
fn a_suspended_requester_cannot_get_a_ticket() {
    let mut m = model();
    let u = create_user(&mut m, "Ann Lee", None);
    m.apply(&Step::Suspend {
        user: u,
        suspended: true,
    });
    let r = m.apply(&Step::CreateTicket {
        ticket: 0,
        requester: u,
        status: None,
        subject: "Refund".to_owned(),
        body: "Jane".to_owned(),
    });
    assert_eq!(
        error_of(&r),
        (
            422,
            "RecordInvalid",
            Some("requester"),
            Some("Requester: Ann Lee is suspended.")
        )
    );
    assert!(m.tickets.is_empty());
}

#[test]
fn a_closed_ticket_refuses_updates_and_legacy_redaction_but_not_comment_redactions() {
    let mut m = model();
    let t = create_ticket(&mut m, 0, Status::Closed, "Jane Doe lives on Elm Street");
    let closed = (
        422,
        "RecordInvalid",
        Some("status"),
        Some("Status: closed prevents ticket update"),
    );
    let r = m.apply(&Step::SetStatus {
        ticket: t,
        status: Status::Open,
    });
    assert_eq!(error_of(&r), closed);
    let r = m.apply(&Step::AddComment {
        ticket: t,
        body: "please".to_owned(),
        public: true,
    });
    assert_eq!(error_of(&r), closed);
    let r = m.apply(&Step::RedactText {
        ticket: t,
        comment: 0,
        text: "Jane".to_owned(),
    });
    assert_eq!(error_of(&r), closed);
    let r = m.apply(&Step::RedactMarkup {
        ticket: t,
        comment: 0,
        text: "Elm".to_owned(),
    });
    let Response::Comment {
        status: 200,
        comment,
    } = r
    else {
        panic!("comment_redactions works on closed tickets, got {r}");
    };
    assert_eq!(comment.body, "Jane Doe lives on ▇▇▇ Street");
    assert_eq!(m.ticket_view(t).description, "Jane Doe lives on ▇▇▇ Street");
}

#[test]
fn legacy_redaction_blocks_every_occurrence_character_for_character() {
    let mut m = model();
    let t = create_ticket(&mut m, 0, Status::Open, "Jane Doe Jane 987-65-4320");
    let r = m.apply(&Step::RedactText {
        ticket: t,
        comment: 0,
        text: "Jane".to_owned(),
    });
    let Response::Comment { comment, .. } = r else {
        panic!("expected a comment, got {r}");
    };
    assert_eq!(comment.body, "▇▇▇▇ Doe ▇▇▇▇ 987-65-4320");
    assert_eq!(comment.plain_body, comment.body);
    for text in ["Jane", "absent", ""] {
        let r = m.apply(&Step::RedactText {
            ticket: t,
            comment: 0,
            text: text.to_owned(),
        });
        assert_eq!(error_of(&r).2, Some("text"), "redacting {text:?}");
    }
}

#[test]
fn bulk_calls_take_at_most_100_ids() {
    let mut m = model();
    let u = create_user(&mut m, "Ann Lee", None);
    let r = m.apply(&Step::DestroyManyUsers {
        users: vec![u],
        unknown: 100,
    });
    assert_eq!(
        error_of(&r),
        (
            400,
            "TooManyValues",
            None,
            Some("Parameter  cannot specify more than 100 values")
        )
    );
    assert!(m.users[u].is_active(), "nothing ran");
    let r = m.apply(&Step::DestroyManyUsers {
        users: vec![0, u],
        unknown: 98,
    });
    let Response::Job {
        status: 200,
        results: JobResults::Items(items),
        ..
    } = r
    else {
        panic!("expected a job, got {r}");
    };
    assert_eq!(items.len(), 100);
    assert_eq!(items[0], (Ref::User(0), false), "the owner fails");
    assert_eq!(items[1], (Ref::User(u), true));
    assert!(items[2..].iter().all(|(_, ok)| !ok));
}

#[test]
fn the_purge_runs_at_thirty_days_exactly() {
    let mut m = model();
    let u = create_user(&mut m, "Ann Lee", Some("jd@x.example"));
    let t = create_ticket(&mut m, 0, Status::Open, "Jane");
    m.apply(&Step::DeleteUser { user: u });
    m.apply(&Step::DeleteTicket { ticket: t });
    m.apply(&Step::AdvanceClock { days: 29 });
    assert!(matches!(m.users[u].state, UserState::SoftDeleted { .. }));
    assert_eq!(m.listing().deleted_tickets.len(), 1);
    m.apply(&Step::AdvanceClock { days: 1 });
    assert_eq!(m.users[u].state, UserState::PermanentlyDeleted);
    assert!(m.listing().deleted_tickets.is_empty());
    assert_eq!(
        error_of(&m.apply(&Step::RestoreTicket { ticket: t })).0,
        404
    );
}

#[test]
fn solved_tickets_close_after_four_days_and_then_free_the_requester() {
    let mut m = model();
    let u = create_user(&mut m, "Ann Lee", None);
    let t = create_ticket(&mut m, u, Status::Open, "Jane");
    m.apply(&Step::SetStatus {
        ticket: t,
        status: Status::Solved,
    });
    m.apply(&Step::AdvanceClock { days: 3 });
    assert_eq!(m.tickets[t].status, Status::Solved);
    assert_eq!(error_of(&m.apply(&Step::DeleteUser { user: u })).0, 422);
    m.apply(&Step::AdvanceClock { days: 1 });
    assert_eq!(m.tickets[t].status, Status::Closed);
    assert_eq!(m.apply(&Step::DeleteUser { user: u }).status(), Some(200));
}

#[test]
fn a_solved_ticket_restored_after_its_days_ran_out_closes() {
    let mut m = model();
    let t = create_ticket(&mut m, 0, Status::Solved, "Jane");
    m.apply(&Step::DeleteTicket { ticket: t });
    m.apply(&Step::AdvanceClock { days: 5 });
    assert_eq!(
        m.tickets[t].status,
        Status::Solved,
        "deleted tickets do not close"
    );
    m.apply(&Step::RestoreTicket { ticket: t });
    assert_eq!(m.tickets[t].status, Status::Closed);
}

#[test]
fn a_permanently_deleted_ticket_cannot_come_back() {
    let mut m = model();
    let t = create_ticket(&mut m, 0, Status::Open, "Jane");
    assert_eq!(
        error_of(&m.apply(&Step::PermanentlyDeleteTicket { ticket: t })).0,
        404,
        "only a soft-deleted ticket may be permanently deleted"
    );
    m.apply(&Step::DeleteTicket { ticket: t });
    let r = m.apply(&Step::PermanentlyDeleteTicket { ticket: t });
    assert!(matches!(
        r,
        Response::Job {
            results: JobResults::Single { success: true },
            ..
        }
    ));
    assert_eq!(
        error_of(&m.apply(&Step::RestoreTicket { ticket: t })).0,
        404
    );
    assert_eq!(error_of(&m.apply(&Step::ShowTicket { ticket: t })).0, 404);
}

#[test]
fn user_search_finds_active_users_by_any_email_or_a_name_word() {
    let mut m = model();
    let a = create_user(&mut m, "Ann Lee", Some("jd@x.example"));
    let b = create_user(&mut m, "Bob Lee", None);
    m.apply(&Step::AddIdentity {
        user: b,
        email: "kw@x.example".to_owned(),
    });
    let found = |m: &Model, q: &str| -> Vec<usize> {
        match m.clone().apply(&Step::SearchUsers {
            query: q.to_owned(),
        }) {
            Response::Users { users, .. } => users.iter().map(|u| u.user).collect(),
            other => panic!("expected users, got {other}"),
        }
    };
    assert_eq!(found(&m, "Lee"), vec![a, b]);
    assert_eq!(found(&m, "kw@x.example"), vec![b]);
    assert_eq!(found(&m, "Zed"), Vec::<usize>::new());
    m.apply(&Step::DeleteUser { user: a });
    assert_eq!(found(&m, "Lee"), vec![b]);
    assert_eq!(found(&m, "jd@x.example"), Vec::<usize>::new());
}

#[test]
fn ticket_operations_need_a_ticket_and_suspensions_skip_the_owner() {
    use proptest::sample::Index;
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;
    let index = proptest::arbitrary::any::<Index>()
        .new_tree(&mut TestRunner::deterministic())
        .expect("an index")
        .current();
    let m = model();
    assert!(
        Op::DeleteTicket {
            ticket: Which::Any(index)
        }
        .resolve(&m)
        .is_none()
    );
    assert!(
        Op::Suspend {
            user: index,
            suspended: true
        }
        .resolve(&m)
        .is_none()
    );
    let mut m = m;
    create_user(&mut m, "Ann Lee", None);
    assert_eq!(
        Op::Suspend {
            user: index,
            suspended: true
        }
        .resolve(&m),
        Some(Step::Suspend {
            user: 1,
            suspended: true
        })
    );
    let step = Op::DestroyManyUsers {
        users: vec![Who::Other(index), Who::Owner, Who::Other(index)],
        pad: Pad::To101,
    }
    .resolve(&m)
    .expect("users exist");
    let Step::DestroyManyUsers { users, unknown } = step else {
        panic!("a destroy_many step");
    };
    assert_eq!(users, vec![1, 0], "a bulk call names an entity once");
    assert_eq!(users.len() + unknown, 101);
}
