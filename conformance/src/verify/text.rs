//! Text helpers the properties share: a comment's visible text (what redaction works on), where
//! needles occur in it, and case-insensitive containment.

/// The visible characters of an HTML text: tags dropped (quoted attribute values may hold
/// `>`), the common entities decoded. Redaction keeps the number of visible characters (one
/// ▇ per character), so the visible texts before and after line up character by character.
pub fn visible(html: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                let mut quote: Option<char> = None;
                for t in chars.by_ref() {
                    match (quote, t) {
                        (None, '"' | '\'') => quote = Some(t),
                        (Some(q), t) if t == q => quote = None,
                        (None, '>') => break,
                        _ => {}
                    }
                }
            }
            '&' => {
                let mut entity = String::new();
                while let Some(&t) = chars.peek() {
                    if t == ';' || entity.len() > 8 || t.is_whitespace() || t == '&' {
                        break;
                    }
                    entity.push(t);
                    chars.next();
                }
                match (decode(&entity), chars.peek()) {
                    (Some(decoded), Some(';')) => {
                        chars.next();
                        out.push(decoded);
                    }
                    _ => {
                        out.push('&');
                        out.extend(entity.chars());
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn decode(entity: &str) -> Option<char> {
    match entity {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let number = entity.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

fn same(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

/// Which characters of `text` some needle covers (case-insensitive, overlapping occurrences
/// covering their union).
pub fn covered(text: &[char], needles: &[String]) -> Vec<bool> {
    let mut mask = vec![false; text.len()];
    for needle in needles {
        let needle: Vec<char> = needle.chars().collect();
        if needle.is_empty() || needle.len() > text.len() {
            continue;
        }
        for start in 0..=text.len() - needle.len() {
            if needle.iter().zip(&text[start..]).all(|(&a, &b)| same(a, b)) {
                mask[start..start + needle.len()]
                    .iter_mut()
                    .for_each(|m| *m = true);
            }
        }
    }
    mask
}

/// Whether `haystack` contains `needle`, ignoring case.
pub fn contains(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// A text shortened to `max` characters for a finding.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_drops_tags_and_decodes_entities() {
        let html = "<p a=\"x>y\">Tom &amp; <b>Jane</b> &lt;3 &#9608;</p>";
        assert_eq!(visible(html).iter().collect::<String>(), "Tom & Jane <3 █");
    }

    #[test]
    fn coverage_is_case_insensitive_and_unions_overlaps() {
        let text: Vec<char> = "mail JANE@X.ORG now".chars().collect();
        let mask = covered(&text, &["jane@x.org".to_owned()]);
        let marked: String = text
            .iter()
            .zip(&mask)
            .map(|(c, m)| if *m { *c } else { '.' })
            .collect();
        assert_eq!(marked, ".....JANE@X.ORG....");
    }
}
