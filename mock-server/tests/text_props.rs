//! Comment text handling never panics, whatever the input — it slices strings by byte offsets,
//! so arbitrary markup, entities and multi-byte text are generated here — and keeps its
//! promises: a redaction changes only matched characters, one ▇ each.
//!
//! Budget: 256 cases per property, about a second in a debug build on the 2-core CI machine.

use proptest::prelude::*;
use zendesk_mock::store::comment_text::{
    BLOCK, html_from_body, plain_from_html, redact_html, redact_text, scan,
};
use zendesk_mock::store::redact_markup;

/// Text made of the pieces that trip HTML scanners: tags (closed or not), entities (valid,
/// unknown, unterminated), quotes, multi-byte characters.
fn htmlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<p>".to_owned()),
        Just("</p>".to_owned()),
        Just("<br>".to_owned()),
        Just("<b>".to_owned()),
        Just("</b>".to_owned()),
        Just("<a href=\"x&amp;y\" redact>".to_owned()),
        Just("<redact>".to_owned()),
        Just("</redact>".to_owned()),
        Just("<img src='i.png' redact>".to_owned()),
        Just("<!-- c -->".to_owned()),
        Just("&amp;".to_owned()),
        Just("&#x1F600;".to_owned()),
        Just("&bogus;".to_owned()),
        Just("&".to_owned()),
        Just("<".to_owned()),
        Just("\"".to_owned()),
        "[a-zé日🙂 ]{0,6}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn scanning_and_plain_text_never_panic(html in htmlish()) {
        let (chars, _) = scan(&html);
        for visible in chars {
            if let Some(span) = visible.span {
                prop_assert!(html.is_char_boundary(span.start) && html.is_char_boundary(span.end));
            }
        }
        let _ = plain_from_html(&html);
    }

    #[test]
    fn html_redaction_keeps_the_markup_and_leaves_no_match(html in htmlish(), needle in "[a-zé日🙂]{1,2}( [a-z]{1,2})?") {
        let (out, _) = redact_html(&html, &needle);
        let (before_chars, before_tags) = scan(&html);
        let (after_chars, after_tags) = scan(&out);
        let names = |tags: &[zendesk_mock::store::comment_text::Tag]| tags.iter().map(|t| (t.name.clone(), t.closing)).collect::<Vec<_>>();
        prop_assert_eq!(names(&after_tags), names(&before_tags), "markup unchanged");
        prop_assert_eq!(after_chars.len(), before_chars.len(), "one block per character");
        prop_assert!(!plain_from_html(&out).contains(needle.as_str()), "no match left in {:?}", out);
    }

    #[test]
    fn text_redaction_replaces_each_matched_character_with_one_block(text in "[ab日 ]{0,20}", needle in "[ab日]{1,3}") {
        let (out, count) = redact_text(&text, &needle);
        prop_assert_eq!(out.chars().count(), text.chars().count());
        prop_assert!(!out.contains(needle.as_str()));
        prop_assert_eq!(count == 0, !text.contains(needle.as_str()));
        for (before, after) in text.chars().zip(out.chars()) {
            prop_assert!(before == after || after == BLOCK);
        }
    }

    #[test]
    fn redact_markup_never_panics(stored in htmlish(), submitted in htmlish()) {
        let _ = redact_markup::apply(&stored, &submitted);
        let applied = redact_markup::apply(&stored, &stored);
        // The comment's own html, unmarked, is always accepted (and changes nothing unless it
        // carries redact markup itself).
        prop_assert!(applied.is_ok());
    }

    #[test]
    fn body_text_survives_the_html_round_trip(body in "[a-zé日🙂<>&\" ]{0,30}") {
        let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assert_eq!(plain_from_html(&html_from_body(&body)), body);
    }
}
