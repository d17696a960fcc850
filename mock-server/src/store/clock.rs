//! Virtual time. Every timestamp an account writes comes from its [`Clock`], so tests can freeze
//! time, and (in the lifecycle work) advance it past Zendesk's 30-day purges.

use serde::{Deserialize, Serialize};
use std::time::{SystemTime, UNIX_EPOCH};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Seconds since the Unix epoch. Zendesk's timestamps have whole-second precision.
pub type Timestamp = i64;

/// An account's clock: real time shifted by an offset, or frozen at an instant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clock {
    /// Added to real time when not frozen.
    pub offset_seconds: i64,
    /// When set, time stands still at this instant.
    pub frozen_at: Option<Timestamp>,
}

impl Clock {
    /// The account's current time.
    pub fn now(&self) -> Timestamp {
        self.frozen_at
            .unwrap_or_else(|| real_now() + self.offset_seconds)
    }

    /// A clock frozen at `at`.
    pub fn frozen(at: Timestamp) -> Self {
        Self {
            offset_seconds: 0,
            frozen_at: Some(at),
        }
    }
}

fn real_now() -> Timestamp {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// ISO-8601 UTC without fractions, as Zendesk writes it: `2023-09-18T23:28:11Z`.
///
/// Digits written by hand rather than through `format!`: every rendered record carries two or
/// three of these, and a page of a hundred spent more time here than in the rest of its view.
pub fn iso8601(at: Timestamp) -> String {
    let Ok(t) = OffsetDateTime::from_unix_timestamp(at) else {
        return "1970-01-01T00:00:00Z".to_owned();
    };
    let year = t.year();
    if !(0..=9999).contains(&year) {
        return format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            year,
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
    }
    let mut out = *b"0000-00-00T00:00:00Z";
    let two = |out: &mut [u8; 20], at: usize, n: u8| {
        out[at] = b'0' + n / 10;
        out[at + 1] = b'0' + n % 10;
    };
    let year = year as u16;
    two(&mut out, 0, (year / 100) as u8);
    two(&mut out, 2, (year % 100) as u8);
    two(&mut out, 5, u8::from(t.month()));
    two(&mut out, 8, t.day());
    two(&mut out, 11, t.hour());
    two(&mut out, 14, t.minute());
    two(&mut out, 17, t.second());
    String::from_utf8(out.to_vec()).expect("ASCII digits")
}

/// The job-status message form: `Completed at 2023-09-18 23:24:22 +0000`.
pub fn job_message_time(at: Timestamp) -> String {
    iso8601(at).replace('T', " ").replace('Z', " +0000")
}

/// Parses an RFC 3339 instant into a timestamp (used by seeds and the control API).
pub fn parse_rfc3339(text: &str) -> Option<Timestamp> {
    OffsetDateTime::parse(text, &Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_zendesk() {
        assert_eq!(iso8601(1_695_079_691), "2023-09-18T23:28:11Z");
        assert_eq!(job_message_time(1_695_079_691), "2023-09-18 23:28:11 +0000");
    }

    #[test]
    fn hand_written_digits_agree_with_the_formatter_and_round_trip() {
        // From year 1 to 9999, in uneven steps that land on every field's edges over the run.
        let first = -62_135_596_800_i64;
        let last = 253_402_300_799_i64;
        let mut at = first;
        while at <= last {
            let t = OffsetDateTime::from_unix_timestamp(at).unwrap();
            let expected = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            );
            assert_eq!(iso8601(at), expected, "{at}");
            assert_eq!(parse_rfc3339(&expected), Some(at), "{expected}");
            at += 7_777_777 + at.rem_euclid(86_399);
        }
        assert_eq!(iso8601(last), "9999-12-31T23:59:59Z");
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn parses_rfc3339_and_freezes() {
        let at = parse_rfc3339("2023-09-18T23:28:11Z").unwrap();
        assert_eq!(Clock::frozen(at).now(), 1_695_079_691);
        assert_eq!(parse_rfc3339("yesterday"), None);
    }
}
