//! The values generated operations draw from. The pools are small on purpose, so that the
//! collisions the rules are about happen often: two users wanting one email, namesakes, the
//! same words in many comments. They are also chosen so that no rule outside the model's scope
//! (search prefixes, markup, phone sharing) can make a difference:
//!
//! - no email word starts with a word of a name, so a name query never finds a user through
//!   an email and an email query never finds one through a name;
//! - no comment word is part of another, nor of the markup around a comment, so a redaction
//!   hits exactly the occurrences the model counts;
//! - each user's phone number is derived from its position, so no two users share one.

/// Names of created and renamed users: namesakes are common.
pub const NAMES: [&str; 4] = ["Ann Lee", "Bob Roe", "Cy Poe", "Di Fox"];

/// Emails users are created with, renamed to, or given as identities; the last is the first
/// in other case, which must count as the same email everywhere.
pub const EMAILS: [&str; 5] = [
    "jd@x.example",
    "kw@x.example",
    "mz@y.example",
    "qt@y.example",
    "JD@X.example",
];

/// Single-word user searches: the words of [`NAMES`], and one that matches nobody.
pub const NAME_QUERIES: [&str; 6] = ["Lee", "Roe", "Poe", "Ann", "Fox", "Zed"];

/// Ticket subjects.
pub const SUBJECTS: [&str; 3] = ["Refund", "Login trouble", "Jane Doe complaint"];

/// Words of comment bodies; a few are the personal data a privacy tool redacts.
pub const WORDS: [&str; 6] = ["Jane", "Doe", "987-65-4320", "Elm", "lives", "on"];

/// Single-word ticket searches: words and prefixes of [`SUBJECTS`] and [`WORDS`], an infix
/// (`oe` of Doe, which must not match), a number's first part, and a word no ticket holds.
pub const TICKET_QUERIES: [&str; 9] = [
    "Jane", "jan", "doe", "oe", "refund", "987", "elm", "trouble", "zebra",
];

/// Texts to redact: personal data that comments may hold, a text no comment holds, and the
/// empty text (legacy redaction refuses it).
pub const REDACTIONS: [&str; 6] = ["Jane", "Doe", "987-65-4320", "Elm", "absent", ""];

/// The owner admin's name and email as the model knows them. The target's real values (which
/// the account creation chooses) are mapped to these when responses are normalised.
pub const OWNER_NAME: &str = "<owner>";
pub const OWNER_EMAIL: &str = "<owner email>";

/// The phone number of the user at `position`: unique per user, so sharing never arises.
pub fn phone_for(position: usize) -> String {
    format!("+1 202 555 {:04}", 100 + position)
}
