//! The words of a world: names, identifiers and comment texts. Pools are disjoint — no
//! subject name, email, phone or address is part of anyone else's, and markers are capital
//! letters only — so a needle found in a text was put there on purpose. Phone numbers differ
//! in their area code, because the residue scan also matches a phone's digits run together.

use super::{Person, Role, Subject};

/// Names a subject (and their namesakes) may have.
const SUBJECT_NAMES: [(&str, &str); 6] = [
    ("Jane", "Roe"),
    ("Ana", "Lima"),
    ("Omar", "Farouk"),
    ("Mei", "Tanaka"),
    ("Kofi", "Mensah"),
    ("Lena", "Vogel"),
];
const OTHER_NAMES: [&str; 4] = ["Priya Patel", "Tom Becker", "Sara Costa", "Ivan Petrov"];
const AGENT_NAMES: [&str; 3] = ["Alex Agent", "Robin Support", "Kim Helpdesk"];
const TOPICS: [&str; 6] = [
    "order that did not arrive",
    "billing question",
    "password reset",
    "change of plan",
    "refund request",
    "delivery delay",
];

/// The subject's name, from the pool.
pub fn subject_name(index: usize) -> (String, String) {
    let (first, last) = SUBJECT_NAMES[index % SUBJECT_NAMES.len()];
    (first.to_owned(), last.to_owned())
}

/// How many subject names there are (the range of the spec's name index).
pub fn subject_names() -> usize {
    SUBJECT_NAMES.len()
}

/// The subject's `n`-th email (0 is the primary).
pub fn subject_email(first: &str, last: &str, n: usize) -> String {
    let (first, last) = (first.to_lowercase(), last.to_lowercase());
    let initial = first.chars().next().unwrap_or('x');
    match n {
        0 => format!("{first}.{last}@example.org"),
        1 => format!("{initial}{last}77@mail.test"),
        _ => format!("{last}.{first}{n}@inbox.test"),
    }
}

/// The subject's phone and postal address.
pub const SUBJECT_PHONE: &str = "+1 202 555 0142";
pub const SUBJECT_ADDRESS: &str = "12 Elm Street, Springfield";

/// Someone who is not the subject: the `i`-th of a role.
pub fn person(role: Role, i: usize, subject: &Subject, phone: bool, address: bool) -> Person {
    let (reference, name, email, phone_number, street) = match role {
        Role::Agent => {
            let name = AGENT_NAMES[i % AGENT_NAMES.len()].to_owned();
            let email = format!("{}.{i}@support.test", local_part(&name));
            (format!("agent-{i}"), name, email, None, None)
        }
        Role::Namesake => {
            let email = format!("{}.{i}@elsewhere.test", local_part(&subject.name));
            let phone = format!("+1 303 555 01{:02}", 10 + i % 90);
            let street = format!("{} Oak Avenue, Riverton", 40 + i);
            let name = subject.name.clone();
            (
                format!("namesake-{i}"),
                name,
                email,
                Some(phone),
                Some(street),
            )
        }
        Role::Other => {
            let name = OTHER_NAMES[i % OTHER_NAMES.len()].to_owned();
            let email = format!("{}.{i}@customers.test", local_part(&name));
            let phone = format!("+1 404 555 02{:02}", 10 + i % 90);
            let street = format!("{} Birch Road, Lakeside", 70 + i);
            (format!("other-{i}"), name, email, Some(phone), Some(street))
        }
    };
    Person {
        reference,
        role,
        name,
        email,
        phone: phone_number.filter(|_| phone),
        address: street.filter(|_| address),
        suspended: false,
    }
}

fn local_part(name: &str) -> String {
    name.to_lowercase().replace(' ', ".")
}

/// A ticket's subject line.
pub fn title(t: usize) -> String {
    let topic = TOPICS[t % TOPICS.len()];
    let mut chars = topic.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What a ticket is about, in running text.
pub fn topic(t: usize) -> &'static str {
    TOPICS[t % TOPICS.len()]
}

/// The marker of comment `c` of ticket `t`: `ref Q` and three capitals.
pub fn comment_marker(t: usize, c: usize) -> String {
    format!("ref Q{}{}", letters(t), letter(c))
}

/// The marker of suspended ticket `i`.
pub fn suspended_marker(i: usize) -> String {
    format!("ref Z{}Z", letters(i))
}

fn letter(n: usize) -> char {
    char::from(b'A' + u8::try_from(n % 26).unwrap_or(0))
}

fn letters(n: usize) -> String {
    format!("{}{}", letter(n / 26), letter(n))
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
