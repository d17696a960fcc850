//! Comment text: the three forms Zendesk keeps (`body`, `html_body`, `plain_body`), and the
//! character-exact redaction of all three (facts §5.1, §5.3–5.4).
//!
//! Redaction must change exactly the matched characters and leave every other byte of the
//! markup as it was, including matches that span markup (`Jane <b>Doe</b>`) and entities
//! (`&amp;`). An HTML parser crate re-serialises the document and loses that; so this module
//! keeps a small scanner that maps each visible character of `html_body` to its byte span.

use std::ops::Range;

/// U+2587, the block Zendesk writes for each redacted character.
pub const BLOCK: char = '▇';

/// `html_body` for a comment given as text: the live wrapper (`<div class="zd-comment"
/// dir="auto"><p dir="auto">…</p></div>`), a paragraph per blank-line-separated block, `<br>`
/// for single newlines.
pub fn html_from_body(body: &str) -> String {
    let paragraphs: Vec<String> = body
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p dir=\"auto\">{}</p>", escape(p).replace('\n', "<br>")))
        .collect();
    format!(
        "<div class=\"zd-comment\" dir=\"auto\">{}</div>",
        paragraphs.join("")
    )
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            other => out.push(other),
        }
    }
    out
}

/// `plain_body`: the visible text of `html_body`, markup stripped, entities decoded, `<br>` as a
/// newline and paragraphs separated by a blank line.
pub fn plain_from_html(html: &str) -> String {
    let text: String = visible(html).iter().map(|v| v.ch).collect();
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut out = lines.join("\n");
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out.trim().to_owned()
}

/// A visible character of an HTML document and where it sits (`None` for line breaks that come
/// from markup, which have no characters to redact).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visible {
    pub ch: char,
    pub span: Option<Range<usize>>,
}

/// A start or end tag found while scanning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub span: Range<usize>,
    /// Lowercase name, without `/`.
    pub name: String,
    pub closing: bool,
    /// The raw text between the name and `>`.
    pub attributes: String,
}

impl Tag {
    /// The value of an attribute, if present (quoted or bare).
    pub fn attribute(&self, name: &str) -> Option<String> {
        attribute_value(&self.attributes, name)
    }

    /// Whether a bare or valued attribute of that name is present.
    pub fn has_attribute(&self, name: &str) -> bool {
        attribute_names(&self.attributes).any(|n| n.eq_ignore_ascii_case(name))
    }
}

/// Scans `html` into visible characters and tags.
pub fn scan(html: &str) -> (Vec<Visible>, Vec<Tag>) {
    let bytes = html.as_bytes();
    let mut chars = Vec::new();
    let mut tags = Vec::new();
    let mut i = 0;
    let mut seen_block = false;
    while i < html.len() {
        match bytes[i] {
            b'<' if html[i..].starts_with("<!--") => {
                i = html[i..].find("-->").map_or(html.len(), |end| i + end + 3);
            }
            b'<' if is_tag_start(html, i) => {
                let end = tag_end(html, i);
                let tag = parse_tag(html, i..end);
                match (tag.name.as_str(), tag.closing) {
                    ("br", _) => chars.push(Visible {
                        ch: '\n',
                        span: None,
                    }),
                    ("p" | "div" | "li" | "blockquote" | "pre" | "h1" | "h2" | "h3", false)
                        if seen_block =>
                    {
                        chars.push(Visible {
                            ch: '\n',
                            span: None,
                        });
                        chars.push(Visible {
                            ch: '\n',
                            span: None,
                        });
                    }
                    _ => {}
                }
                if !tag.closing
                    && matches!(tag.name.as_str(), "p" | "div" | "li" | "blockquote" | "pre")
                {
                    seen_block = true;
                }
                tags.push(tag);
                i = end;
            }
            b'&' => {
                let (ch, len) = decode_entity(&html[i..]);
                chars.push(Visible {
                    ch,
                    span: Some(i..i + len),
                });
                i += len;
            }
            _ => {
                let ch = html[i..].chars().next().unwrap_or(' ');
                chars.push(Visible {
                    ch,
                    span: Some(i..i + ch.len_utf8()),
                });
                i += ch.len_utf8();
            }
        }
    }
    (chars, tags)
}

fn visible(html: &str) -> Vec<Visible> {
    scan(html).0
}

/// Start indexes of every occurrence of `needle` in `haystack`, overlapping ones included.
pub fn occurrences(haystack: &[char], needle: &[char]) -> Vec<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return Vec::new();
    }
    (0..=haystack.len() - needle.len())
        .filter(|&i| haystack[i..i + needle.len()] == *needle)
        .collect()
}

/// Replaces every character covered by an occurrence of `needle` with ▇, one block per
/// character. Overlapping occurrences cover their union. Returns the text and the count of
/// occurrences.
pub fn redact_text(text: &str, needle: &str) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let needle: Vec<char> = needle.chars().collect();
    let starts = occurrences(&chars, &needle);
    let mut covered = vec![false; chars.len()];
    for start in &starts {
        covered[*start..*start + needle.len()]
            .iter_mut()
            .for_each(|c| *c = true);
    }
    let out = chars
        .iter()
        .zip(&covered)
        .map(|(c, hit)| if *hit { BLOCK } else { *c })
        .collect();
    (out, starts.len())
}

/// Replaces, in `html`, every visible character covered by an occurrence of `needle` (matched
/// against the visible text, so across markup) with ▇, leaving all markup as it was.
pub fn redact_html(html: &str, needle: &str) -> (String, usize) {
    let chars = visible(html);
    let text: Vec<char> = chars.iter().map(|v| v.ch).collect();
    let needle: Vec<char> = needle.chars().collect();
    let starts = occurrences(&text, &needle);
    let spans: Vec<Range<usize>> = starts
        .iter()
        .flat_map(|s| {
            chars[*s..*s + needle.len()]
                .iter()
                .filter_map(|v| v.span.clone())
        })
        .collect();
    (
        apply_edits(
            html,
            spans.into_iter().map(|span| (span, Some(BLOCK))).collect(),
        ),
        starts.len(),
    )
}

/// Rewrites `html`: each span becomes its replacement character, or nothing. Spans may come
/// in any order and repeat; one overlapping an earlier span is skipped.
pub fn apply_edits(html: &str, mut edits: Vec<(Range<usize>, Option<char>)>) -> String {
    edits.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for (span, replacement) in edits {
        if span.start < at {
            continue;
        }
        out.push_str(&html[at..span.start]);
        if let Some(ch) = replacement {
            out.push(ch);
        }
        at = span.end;
    }
    out.push_str(&html[at..]);
    out
}

fn is_tag_start(html: &str, i: usize) -> bool {
    html[i + 1..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '/')
}

/// Index just past the `>` that ends the tag starting at `start`, skipping quoted values.
fn tag_end(html: &str, start: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (offset, byte) in html.as_bytes()[start..].iter().enumerate() {
        match (quote, byte) {
            (Some(q), b) if *b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(*byte),
            (None, b'>') => return start + offset + 1,
            _ => {}
        }
    }
    html.len()
}

fn parse_tag(html: &str, span: Range<usize>) -> Tag {
    let inner = html[span.start + 1..span.end]
        .trim_end_matches('>')
        .trim_end_matches('/');
    let closing = inner.starts_with('/');
    let inner = inner.trim_start_matches('/');
    let name_end = inner
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(inner.len());
    Tag {
        span,
        name: inner[..name_end].to_ascii_lowercase(),
        closing,
        attributes: inner[name_end..].to_owned(),
    }
}

/// Attribute names in an attribute string.
fn attribute_names(attributes: &str) -> impl Iterator<Item = &str> {
    attribute_pairs(attributes)
        .into_iter()
        .map(|(name, _)| name)
}

fn attribute_value(attributes: &str, wanted: &str) -> Option<String> {
    attribute_pairs(attributes)
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(wanted))
        .and_then(|(_, v)| v)
}

/// `(name, value)` pairs of an attribute string; bare attributes have no value.
fn attribute_pairs(attributes: &str) -> Vec<(&str, Option<String>)> {
    let mut pairs = Vec::new();
    let mut rest = attributes.trim_start();
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        let mut value = None;
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (text, remainder) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = after[1..].find(q).map_or(after.len(), |i| i + 1);
                    (
                        &after[1..close.min(after.len())],
                        after.get(close + 1..).unwrap_or(""),
                    )
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = Some(decode_all(text));
            rest = remainder.trim_start();
        }
        if !name.is_empty() {
            pairs.push((name, value));
        } else if !rest.is_empty() {
            rest = &rest[1..];
        }
    }
    pairs
}

/// Decodes every entity in an attribute value.
fn decode_all(text: &str) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < text.len() {
        if text.as_bytes()[i] == b'&' {
            let (ch, len) = decode_entity(&text[i..]);
            out.push(ch);
            i += len;
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// The character an entity at the start of `text` stands for, and its length; a lone `&` is
/// itself.
fn decode_entity(text: &str) -> (char, usize) {
    let Some(end) = text.find(';').filter(|end| *end <= 10) else {
        return ('&', 1);
    };
    let name = &text[1..end];
    let ch = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" | "#39" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => name
            .strip_prefix("#x")
            .or_else(|| name.strip_prefix("#X"))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
            .and_then(char::from_u32),
    };
    match ch {
        Some(ch) => (ch, end + 1),
        None => ('&', 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_wraps_text_like_zendesk() {
        assert_eq!(
            html_from_body("Some comment"),
            "<div class=\"zd-comment\" dir=\"auto\"><p dir=\"auto\">Some comment</p></div>"
        );
        assert_eq!(
            html_from_body("a < b\nline two\n\nnext"),
            "<div class=\"zd-comment\" dir=\"auto\"><p dir=\"auto\">a &lt; b<br>line two</p><p dir=\"auto\">next</p></div>"
        );
    }

    #[test]
    fn plain_text_round_trips_through_html() {
        for body in [
            "Some comment",
            "a < b & c\nline two\n\nnext paragraph",
            "Jörg 日本 🙂",
        ] {
            assert_eq!(plain_from_html(&html_from_body(body)), body, "{body:?}");
        }
    }

    #[test]
    fn redacts_each_character_including_multibyte_and_overlaps() {
        assert_eq!(
            redact_text("SSN 987-65-4320.", "987-65-4320"),
            ("SSN ▇▇▇▇▇▇▇▇▇▇▇.".to_owned(), 1)
        );
        assert_eq!(
            redact_text("Jörg and Jörg", "Jörg"),
            ("▇▇▇▇ and ▇▇▇▇".to_owned(), 2)
        );
        assert_eq!(redact_text("aaaa", "aaa"), ("▇▇▇▇".to_owned(), 2));
        assert_eq!(
            redact_text("nothing here", "absent"),
            ("nothing here".to_owned(), 0)
        );
    }

    #[test]
    fn redacts_across_markup_and_entities_keeping_tags() {
        let html = "<p>Call Jane <b>Doe</b> &amp; co</p>";
        let (out, n) = redact_html(html, "Jane Doe");
        assert_eq!(n, 1);
        assert_eq!(out, "<p>Call ▇▇▇▇▇<b>▇▇▇</b> &amp; co</p>");
        let (out, _) = redact_html(html, "& co");
        assert_eq!(out, "<p>Call Jane <b>Doe</b> ▇▇▇▇</p>");
    }

    #[test]
    fn tags_and_attributes_are_read() {
        let (_, tags) = scan("<a href=\"http://x/?a=1&amp;b=2\" redact>t</a><img src='i.png'>");
        assert_eq!(tags[0].name, "a");
        assert_eq!(
            tags[0].attribute("href").as_deref(),
            Some("http://x/?a=1&b=2")
        );
        assert!(tags[0].has_attribute("redact"));
        assert!(tags[1].closing);
        assert_eq!(tags[2].attribute("src").as_deref(), Some("i.png"));
        assert!(!tags[2].has_attribute("redact"));
    }
}
