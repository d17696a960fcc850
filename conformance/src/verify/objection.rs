//! Objection (restriction of processing): the subject is suspended — not deleted — and what
//! they send from now on lands in the suspended-tickets queue. After the run the verifier
//! sends an email in from each of the subject's addresses (`POST /__mock/inbound/email`) and
//! reads where it went.

use super::evidence::Evidence;
use super::{Property, Verdict};
use crate::world::World;

/// The objection verdict.
pub fn check(_world: &World, evidence: &Evidence) -> Verdict {
    let mut findings = Vec::new();
    match evidence.after.users.get(&evidence.ids.subject) {
        None => findings.push("the subject's user record is gone".to_owned()),
        Some(user) => {
            if user.lifecycle() != "active" {
                findings.push(format!(
                    "the subject was {}: an objection asks to stop processing, not to erase",
                    user.lifecycle().replace('_', "-")
                ));
            }
            if !user.suspended {
                findings.push("the subject is not suspended".to_owned());
            }
        }
    }
    for inbound in evidence.inbound.iter().filter(|i| !i.suspended) {
        findings.push(format!(
            "an email from {} after the run did not land in suspended tickets: {}",
            inbound.email, inbound.reply
        ));
    }
    Verdict::from_findings(Property::Objection, findings)
}
