//! The OAS is stricter than live Zendesk in places: it says string, integer or object where live
//! responses carry `null`. `zendesk_conformance::oas::live_allowances` is the one list of those
//! relaxations, each with its evidence. This test gathers the objects of every resource (see
//! `shapes/mod.rs`) and fails as soon as one allowance is no longer needed by any of them, so
//! the list cannot silently grow stale.

#[path = "../../mock-server/tests/common/mod.rs"]
mod common;
mod shapes;

use common::Mock;
use shapes::deleted_users::deleted_users;
use shapes::identities::identities;
use shapes::jobs::job_statuses;
use shapes::tickets::ticket_surface;
use shapes::users::{admin_view, end_user_view};
use zendesk_conformance::oas::{Allowances, live_allowances};

/// Removing any one allowance must make some object fail: an allowance nothing needs any more
/// hides nothing today, but would hide a regression tomorrow.
#[tokio::test]
async fn every_allowance_is_still_needed_by_some_object() {
    let mock = Mock::start().await;
    let mut samples = admin_view(&mock).await;
    samples.extend(end_user_view(&mock).await);
    samples.extend(identities(&mock).await);
    samples.extend(deleted_users(&mock).await);
    samples.extend(job_statuses(&mock).await);
    samples.extend(ticket_surface(&mock).await);
    let baseline = samples.failures(live_allowances()).len();

    let all = live_allowances().nullable_properties();
    let unneeded: Vec<String> = all
        .iter()
        .enumerate()
        .filter(|&(skip, _)| {
            let without = all
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != skip)
                .fold(Allowances::new(), |set, (_, a)| {
                    set.nullable(&a.schema, &a.property, &a.reason)
                });
            samples.failures(&without).len() == baseline
        })
        .map(|(_, a)| format!("{}.{}", a.schema, a.property))
        .collect();
    assert!(
        unneeded.is_empty(),
        "no object needs these allowances any more; remove them: {unneeded:?}"
    );
}
