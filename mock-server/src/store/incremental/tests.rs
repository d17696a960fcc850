//! The paging rules of [`super::cut`] on bare positions, and the cursor form.

use super::*;

fn request(start: Start, per_page: usize, paging: Paging) -> ExportRequest {
    ExportRequest {
        start,
        per_page,
        paging,
    }
}

fn at(pairs: &[(Timestamp, Id)]) -> Vec<(Position, Id)> {
    pairs
        .iter()
        .map(|&(at, id)| (Position { at, id }, id))
        .collect()
}

#[test]
fn cursors_have_the_live_form_and_round_trip() {
    let live = Position {
        at: 1_576_613_539,
        id: 467,
    };
    assert_eq!(live.encode(), "MTU3NjYxMzUzOS4wfHw0Njd8");
    assert_eq!(Position::decode("MTU3NjYxMzUzOS4wfHw0Njd8"), Some(live));
    for bad in ["", "garbage", "MTU3NjYxMzUzOQ==", "LTEuMHx8NHw="] {
        assert_eq!(Position::decode(bad), None, "{bad:?}");
    }
}

#[test]
fn cursor_pages_resume_after_the_last_item_and_skip_the_last_minute() {
    let items = at(&[(30, 3), (10, 1), (10, 2), (50, 4), (95, 5)]);
    let first = cut(
        items.clone(),
        &request(Start::Time(10), 2, Paging::Cursor),
        60,
    );
    assert_eq!(first.items, vec![1, 2]);
    assert!(!first.end_of_stream);
    let second = cut(
        items,
        &request(Start::After(first.resume), 2, Paging::Cursor),
        60,
    );
    assert_eq!(second.items, vec![3, 4], "item 5 is younger than `until`");
    assert!(second.end_of_stream);
}

#[test]
fn time_pages_resume_at_their_last_second_unless_it_is_all_they_hold() {
    let items = at(&[(10, 1), (10, 2), (10, 3), (20, 4), (20, 5), (30, 6)]);
    let page = cut(items.clone(), &request(Start::Time(0), 2, Paging::Time), 60);
    assert_eq!(
        (page.items, page.end_time, page.end_of_stream),
        (vec![1, 2], 10, false)
    );
    let stuck = cut(
        items.clone(),
        &request(Start::Time(10), 2, Paging::Time),
        60,
    );
    assert_eq!(stuck.items, vec![1, 2, 3], "the whole start second");
    assert_eq!(stuck.end_time, 11, "and past it");
    let next = cut(
        items.clone(),
        &request(Start::Time(11), 2, Paging::Time),
        60,
    );
    assert_eq!((next.items, next.end_time), (vec![4, 5], 20));
    let full = cut(
        items.clone(),
        &request(Start::Time(20), 2, Paging::Time),
        60,
    );
    assert_eq!(
        (full.items, full.end_time),
        (vec![4, 5], 21),
        "a full start second"
    );
    let last = cut(items, &request(Start::Time(21), 2, Paging::Time), 60);
    assert_eq!(
        (last.items, last.end_time, last.end_of_stream),
        (vec![6], 30, true)
    );
}

#[test]
fn an_empty_page_resumes_where_it_started() {
    let page = cut(
        at(&[(5, 1)]),
        &request(Start::Time(7), 10, Paging::Time),
        60,
    );
    assert!(page.items.is_empty() && page.end_of_stream);
    assert_eq!((page.end_time, page.resume), (7, Position { at: 7, id: 0 }));
}
