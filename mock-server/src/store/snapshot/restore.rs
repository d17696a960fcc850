//! Building an account from its snapshot, and every check that makes loading all or nothing:
//! a snapshot that passes behaves as the account it was taken from, and one that does not is
//! refused with the first problem found, before anything is swapped in.

use super::AccountSnapshot;
use crate::store::account::AccountData;
use crate::store::comments::AuditEvent;
use crate::store::events::EventLog;
use crate::store::jobs::JobState;
use crate::store::users::Role;
use crate::store::{Id, OAuthToken};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Display;

impl AccountSnapshot {
    /// The account this snapshot describes, its identity index rebuilt and its event log
    /// bounded to `event_capacity`; or the first reason it cannot be loaded.
    pub fn into_data(self, event_capacity: usize) -> Result<AccountData, String> {
        if !crate::store::is_subdomain(&self.subdomain) {
            return Err(format!("`{}` is not a valid subdomain", self.subdomain));
        }
        let mut data = AccountData::empty(&self.subdomain, 0, event_capacity);
        data.clock = self.clock;
        data.settings = self.settings;
        data.ids = self.ids;
        data.owner_id = self.owner_id;
        data.api_tokens = self.api_tokens;
        data.users = keyed("user", self.users, |u| u.id)?;
        data.identities = keyed("identity", self.identities, |i| i.id)?;
        data.tickets = keyed("ticket", self.tickets, |t| t.id)?;
        data.comments = keyed("comment", self.comments, |c| c.id)?;
        data.audits = keyed("audit", self.audits, |a| a.id)?;
        data.attachments = keyed("attachment", self.attachments, |a| a.id)?;
        data.uploads = keyed("upload", self.uploads, |u| u.token.clone())?;
        data.suspended_tickets = keyed("suspended ticket", self.suspended_tickets, |s| s.id)?;
        data.jobs = keyed("job", self.jobs, |j| j.id.clone())?;
        data.ticket_records = self.ticket_records;
        for grant in self.oauth_tokens {
            let token = OAuthToken {
                user_id: grant.user_id,
                scopes: grant.scopes,
            };
            if data.oauth_tokens.insert(grant.token, token).is_some() {
                return Err("an OAuth token is listed twice".into());
            }
        }
        let entries = self.events.entries;
        let next_seq = self.events.next_seq;
        if entries.windows(2).any(|w| w[0].seq >= w[1].seq)
            || entries.last().is_some_and(|e| e.seq >= next_seq)
        {
            return Err("event seq numbers must rise, each below `next_seq`".into());
        }
        data.events = EventLog::restored(entries, next_seq, event_capacity);
        check_tokens(&data)?;
        check_references(&data)?;
        check_counters(&data)?;
        check_jobs(&data)?;
        data.rebuild_identity_index()?;
        Ok(data)
    }
}

/// Every API and OAuth token of an account (for the registry's token index).
pub(super) fn tokens(data: &AccountData) -> Vec<String> {
    data.api_tokens
        .iter()
        .chain(data.oauth_tokens.keys())
        .cloned()
        .collect()
}

/// Records keyed by id; an id given twice is refused.
fn keyed<K: Ord + Display, T>(
    what: &str,
    records: Vec<T>,
    key: impl Fn(&T) -> K,
) -> Result<BTreeMap<K, T>, String> {
    let mut map = BTreeMap::new();
    for record in records {
        let id = key(&record);
        if map.contains_key(&id) {
            return Err(format!("{what} {id} is listed twice"));
        }
        map.insert(id, record);
    }
    Ok(map)
}

fn check_tokens(data: &AccountData) -> Result<(), String> {
    let mut seen = HashSet::new();
    if data
        .api_tokens
        .iter()
        .any(|t| t.is_empty() || !seen.insert(t))
    {
        return Err("API tokens must be non-empty and distinct".into());
    }
    Ok(())
}

/// Everything a record names exists: the owner (an active admin), identities' and grants'
/// users, tickets' requesters and comments, comments' and audits' tickets, attachments'
/// tickets, uploads' attachments.
fn check_references(data: &AccountData) -> Result<(), String> {
    let owner = data
        .users
        .get(&data.owner_id)
        .ok_or_else(|| format!("owner {} is not a user", data.owner_id))?;
    if owner.role != Role::Admin || !owner.is_active() {
        return Err(format!("owner {} is not an active admin", owner.id));
    }
    let user = |id: Id, what: &str| match data.users.get(&id) {
        Some(_) => Ok(()),
        None => Err(format!(
            "{what} names user {id}, who is not in the snapshot"
        )),
    };
    for identity in data.identities.values() {
        user(identity.user_id, &format!("identity {}", identity.id))?;
        if data.users[&identity.user_id].is_permanently_deleted() {
            return Err(format!(
                "identity {} belongs to a permanently deleted user",
                identity.id
            ));
        }
    }
    for grant in data.oauth_tokens.values() {
        user(grant.user_id, "an OAuth token")?;
    }
    for ticket in data.tickets.values() {
        user(ticket.requester_id, &format!("ticket {}", ticket.id))?;
        for id in &ticket.comment_ids {
            if data
                .comments
                .get(id)
                .is_none_or(|c| c.ticket_id != ticket.id)
            {
                return Err(format!(
                    "ticket {} lists comment {id}, not its own",
                    ticket.id
                ));
            }
        }
    }
    let ticket = |id: Id, what: String| {
        if data.tickets.contains_key(&id) {
            Ok(())
        } else {
            Err(format!(
                "{what} names ticket {id}, which is not in the snapshot"
            ))
        }
    };
    for comment in data.comments.values() {
        ticket(comment.ticket_id, format!("comment {}", comment.id))?;
    }
    for audit in data.audits.values() {
        ticket(audit.ticket_id, format!("audit {}", audit.id))?;
    }
    for attachment in data.attachments.values() {
        if let Some(id) = attachment.ticket_id {
            ticket(id, format!("attachment {}", attachment.id))?;
        }
    }
    for upload in data.uploads.values() {
        if let Some(id) = upload
            .attachment_ids
            .iter()
            .find(|id| !data.attachments.contains_key(id))
        {
            return Err(format!(
                "an upload names attachment {id}, which is not there"
            ));
        }
    }
    Ok(())
}

/// Ids from the account's one counter are unique across kinds (a user id never names an
/// identity), and the counters are ahead of every id, so nothing created later collides.
fn check_counters(data: &AccountData) -> Result<(), String> {
    let audit_events = data.audits.values().flat_map(|a| {
        a.events
            .iter()
            .filter(|(_, e)| !matches!(e, AuditEvent::Comment { .. }))
            .map(|(id, _)| *id)
    });
    let ids = (data.users.keys().copied())
        .chain(data.identities.keys().copied())
        .chain(data.comments.keys().copied())
        .chain(data.audits.keys().copied())
        .chain(audit_events)
        .chain(data.attachments.keys().copied())
        .chain(data.suspended_tickets.keys().copied());
    let mut seen = HashSet::new();
    let mut max_id = 0;
    for id in ids {
        if !seen.insert(id) {
            return Err(format!("id {id} names two records"));
        }
        max_id = max_id.max(id);
    }
    let mut tickets = HashSet::new();
    let ticket_ids = (data.tickets.keys().copied()).chain(data.ticket_records.iter().map(|r| r.id));
    let mut max_ticket = 0;
    for id in ticket_ids {
        if !tickets.insert(id) {
            return Err(format!("ticket id {id} names two tickets or records"));
        }
        max_ticket = max_ticket.max(id);
    }
    if !data.ids.has_issued(max_id, max_ticket) {
        return Err("the id counters are behind the ids in use".into());
    }
    let job_ids: Vec<&str> = data.jobs.keys().map(String::as_str).collect();
    if !data.ids.has_issued_jobs(&job_ids) {
        return Err("a job id was not issued by this account's job counter".into());
    }
    Ok(())
}

/// An unfinished job still has its work (or it could never finish); a finished one has none.
fn check_jobs(data: &AccountData) -> Result<(), String> {
    for job in data.jobs.values() {
        let unfinished = matches!(job.state, JobState::Queued | JobState::Working);
        if unfinished != job.has_work() {
            return Err(format!(
                "job {} is {} but {} work",
                job.id,
                job.state.as_str(),
                if job.has_work() {
                    "still has"
                } else {
                    "has no"
                }
            ));
        }
    }
    Ok(())
}
