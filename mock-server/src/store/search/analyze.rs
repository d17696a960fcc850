//! Text analysis shared by indexing and querying: how text becomes words.
//!
//! Zendesk's search reference: terms are case-insensitive and match a whole word or the prefix
//! of a word, never an infix or suffix — "top" finds "Tip-Top Mops" and "topology" but not
//! "Desktop" (facts §7, HC search reference). So a word is a run of letters and digits,
//! lowercased; everything else (spaces, `@`, `.`, `-`, the redaction block ▇) separates words.
//! An email or a phone number is findable as written because the query term is analysed the
//! same way and must match as a run of consecutive words.

/// Lowercase words of a text: runs of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The digits of something written like a phone number (`+1 (202) 555-0100`), when it has at
/// least seven of them and nothing but digits and phone punctuation: phone numbers are also
/// findable by their digits in any format.
pub fn phone_digits(text: &str) -> Option<String> {
    let text = text.trim();
    let phone_like = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '(' | ')' | '.' | ' '));
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    (phone_like && digits.len() >= 7).then_some(digits)
}

/// One field's text as the index keeps it: each value's words joined by single spaces and
/// wrapped in spaces (` jane roe `), values separated by a newline, so that a run of words is a
/// substring search and no run crosses from one value (one comment, one identity) to the next.
pub fn normalize<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for value in values {
        let mut any = false;
        for word in words(value) {
            if !any {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push(' ');
                any = true;
            }
            out.push_str(&word);
            out.push(' ');
        }
    }
    out
}

/// Does normalized `text` hold `words` consecutively — all whole, or with the last one a
/// prefix when `last_is_prefix`?
pub fn holds_run(text: &str, words: &[String], last_is_prefix: bool) -> bool {
    run_pattern(words, last_is_prefix).is_some_and(|pattern| text.contains(&pattern))
}

/// What [`holds_run`] searches normalized text for: ` w1 w2 … wn `, without the last space
/// when the last word may be a prefix. `None` for no words (nothing holds them).
pub fn run_pattern(words: &[String], last_is_prefix: bool) -> Option<String> {
    if words.is_empty() {
        return None;
    }
    let mut pattern = String::with_capacity(words.iter().map(|w| w.len() + 1).sum::<usize>() + 1);
    for word in words {
        pattern.push(' ');
        pattern.push_str(word);
    }
    if !last_is_prefix {
        pattern.push(' ');
    }
    Some(pattern)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(query: &str, prefix: bool) -> Vec<String> {
        let _ = prefix;
        words(query).collect()
    }

    #[test]
    fn prefixes_match_but_infixes_do_not() {
        let text = normalize(["Tip-Top Mops", "Desktop Solutions", "topology"]);
        assert!(holds_run(&text, &run("top", true), true));
        assert!(holds_run(&text, &run("topo", true), true));
        assert!(!holds_run(&text, &run("esktop", true), true));
        assert!(!holds_run(&text, &run("topo", false), false));
    }

    #[test]
    fn runs_never_cross_values() {
        let text = normalize(["ends with jane", "roe starts this"]);
        assert!(!holds_run(&text, &run("jane roe", false), false));
        assert!(holds_run(&text, &run("with jane", false), false));
    }

    #[test]
    fn emails_and_redactions_split_into_words() {
        let text = normalize(["write to Jane.Roe@Example.org", "call ▇▇▇▇ now"]);
        assert!(holds_run(&text, &run("jane.roe@example.org", false), false));
        assert!(holds_run(&text, &run("call now", false), false));
    }

    #[test]
    fn phone_digits_need_seven_digits_and_phone_punctuation() {
        assert_eq!(
            phone_digits("+1 (202) 555-0100").as_deref(),
            Some("12025550100")
        );
        assert_eq!(phone_digits("555-01"), None);
        assert_eq!(phone_digits("call 2025550100"), None);
    }
}
