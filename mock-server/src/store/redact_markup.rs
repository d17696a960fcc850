//! `PUT /comment_redactions/{id}` markup (facts §5.4): the client sends the comment's
//! `html_body` with the parts to remove wrapped in `<redact>…</redact>`, and a `redact`
//! attribute on elements (`<img … redact>`, `<a … redact>`) whose tags are to go. This module
//! turns that markup into edits of the stored `html_body`.

use super::comment_text::{BLOCK, Tag, apply_edits, scan};
use crate::error::{ApiError, ApiResult};
use std::ops::Range;

/// What a redaction request asks for, applied to the stored html.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub html: String,
    /// Characters turned into ▇.
    pub characters: usize,
    /// Elements whose tags were removed.
    pub elements: usize,
}

/// Applies `submitted` (stored html plus redact markup) to `stored`. The visible text of the
/// submission, markup aside, must be the comment's own; otherwise the positions to redact are
/// ambiguous and the request is refused (422 on `html_body`, INFERRED).
pub fn apply(stored: &str, submitted: &str) -> ApiResult<Applied> {
    let (sub_chars, sub_tags) = scan(submitted);
    let (stored_chars, stored_tags) = scan(stored);
    let regions = redact_regions(&sub_tags);
    let sub_real: Vec<(char, bool)> = sub_chars
        .iter()
        .filter_map(|v| {
            v.span.as_ref().map(|s| {
                (
                    v.ch,
                    regions.iter().any(|r| s.start >= r.start && s.end <= r.end),
                )
            })
        })
        .collect();
    let stored_real: Vec<(char, Range<usize>)> = stored_chars
        .iter()
        .filter_map(|v| v.span.clone().map(|s| (v.ch, s)))
        .collect();
    let same_text = sub_real.len() == stored_real.len()
        && sub_real.iter().zip(&stored_real).all(|(a, b)| a.0 == b.0);
    if !same_text {
        return Err(ApiError::record_invalid(
            "html_body",
            "Html body: must be the comment's html_body with <redact> tags added",
        ));
    }
    let mut edits: Vec<(Range<usize>, Option<char>)> = sub_real
        .iter()
        .zip(&stored_real)
        .filter(|((_, flagged), _)| *flagged)
        .map(|(_, (_, span))| (span.clone(), Some(BLOCK)))
        .collect();
    let characters = edits.len();
    let removals = element_removals(&sub_tags, &stored_tags);
    let elements = removals.len();
    edits.extend(removals.into_iter().flatten().map(|span| (span, None)));
    Ok(Applied {
        html: apply_edits(stored, edits),
        characters,
        elements,
    })
}

/// Byte ranges of the submission between `<redact>` and its `</redact>`.
fn redact_regions(tags: &[Tag]) -> Vec<Range<usize>> {
    let mut regions = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for tag in tags.iter().filter(|t| t.name == "redact") {
        if tag.closing {
            if let Some(start) = open.pop() {
                regions.push(start..tag.span.start);
            }
        } else {
            open.push(tag.span.end);
        }
    }
    regions
}

/// For each submitted element marked `redact`, the spans of the matching stored element's
/// tags (start tag, and its end tag unless it is a void element like `<img>`). Stored elements
/// are matched by name and `src`/`href`, in order.
fn element_removals(submitted: &[Tag], stored: &[Tag]) -> Vec<Vec<Range<usize>>> {
    let mut used = vec![false; stored.len()];
    let mut removals = Vec::new();
    for wanted in submitted
        .iter()
        .filter(|t| !t.closing && t.name != "redact" && t.has_attribute("redact"))
    {
        let key = |t: &Tag| t.attribute("src").or_else(|| t.attribute("href"));
        let found = stored.iter().enumerate().find(|(i, t)| {
            !used[*i] && !t.closing && t.name == wanted.name && key(t) == key(wanted)
        });
        let Some((index, start_tag)) = found else {
            continue;
        };
        used[index] = true;
        let mut spans = vec![start_tag.span.clone()];
        if !matches!(start_tag.name.as_str(), "img" | "br" | "hr" | "input") {
            // The end tag: the first unmatched `</name>` after it, counting nested ones.
            let mut depth = 0;
            for (i, tag) in stored.iter().enumerate().skip(index + 1) {
                if tag.name != start_tag.name {
                    continue;
                }
                if !tag.closing {
                    depth += 1;
                } else if depth == 0 {
                    used[i] = true;
                    spans.push(tag.span.clone());
                    break;
                } else {
                    depth -= 1;
                }
            }
        }
        removals.push(spans);
    }
    removals
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORED: &str = "<div class=\"zd-comment\" dir=\"auto\"><p dir=\"auto\">Call Jane <b>Doe</b> at <a href=\"tel:555\">555-0100</a> <img src=\"x.png\"></p></div>";

    #[test]
    fn redact_tags_turn_their_characters_into_blocks_across_markup() {
        let submitted = STORED.replace("Jane <b>Doe</b>", "<redact>Jane <b>Doe</b></redact>");
        let applied = apply(STORED, &submitted).unwrap();
        assert_eq!(applied.characters, 8);
        assert!(
            applied.html.contains("Call ▇▇▇▇▇<b>▇▇▇</b> at"),
            "{}",
            applied.html
        );
    }

    #[test]
    fn redact_attribute_removes_the_element_tags_but_not_the_inner_text() {
        let submitted = STORED
            .replace(
                "<a href=\"tel:555\">555-0100</a>",
                "<a href=\"tel:555\" redact><redact>555-0100</redact></a>",
            )
            .replace("<img src=\"x.png\">", "<img src=\"x.png\" redact>");
        let applied = apply(STORED, &submitted).unwrap();
        assert_eq!(applied.elements, 2);
        assert!(
            applied.html.contains(" at ▇▇▇▇▇▇▇▇ </p>"),
            "{}",
            applied.html
        );
        assert!(
            !applied.html.contains("<a ")
                && !applied.html.contains("</a>")
                && !applied.html.contains("<img")
        );
    }

    #[test]
    fn a_submission_whose_text_differs_is_refused() {
        let submitted = STORED.replace("Jane", "<redact>Janet</redact>");
        assert!(apply(STORED, &submitted).is_err());
    }

    #[test]
    fn no_markup_changes_nothing() {
        let applied = apply(STORED, STORED).unwrap();
        assert_eq!(
            applied,
            Applied {
                html: STORED.to_owned(),
                characters: 0,
                elements: 0
            }
        );
    }
}
