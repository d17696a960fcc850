//! Incremental exports (facts §8): every ticket or user created or changed at or after a start
//! time, oldest change first, cut into cursor pages or time pages. Which items, in what order,
//! where a page ends and where the next one resumes; `api::incremental` parses and renders.
//!
//! | rule | source |
//! | --- | --- |
//! | items changed *on or after* `start_time`, ordered by change time (a ticket's `generated_timestamp`) | Zendesk, "Using the Incremental Exports API"; OAS IncrementalTicketExportTime |
//! | changes of the last minute are left out, and the resume point stays before them | HC 8143500919322 (Oct 2024); OAS `IncrementalUnixTime`: "Data isn't provided for the most recent minute" |
//! | `start_time` must be at least a minute old: later (future included) is 400 InvalidValue "Too recent start_time…" | body: `{"error":"InvalidValue","description":"Too recent start_time. Use a start_time older than 5 minutes"}`, recorded with status 422 under the former 5-minute rule (embulk-input-zendesk tests and other clients, 2014–2019); one minute and 400 now: OAS `IncrementalUnixTime`, airbyte#23246 (2023: "requesting tickets in the future … hits 400") |
//! | `end_of_stream`: everything up to now (less the last minute) has been returned | Incremental Exports reference, JSON format |
//! | time pages: `end_time` is the last item's time and the next page starts there, so the items of that second come again | docs: "end_time … the most recent time present in the result set"; "the exported data may contain duplicate items" |
//! | cursor pages: the cursor holds (change time, id) as live cursors do, `base64("1576613539.0\|\|467\|")` | OAS example `MTU3NjYxMzUzOS4wfHw0Njd8`; Fivetran's recorded `MTU4MDc1Mzc5OC4wfHw0MzJ8` |
//! | deleted tickets are listed with `status: "deleted"` unless `exclude_deleted=true`; permanently deleted (scrubbed) ones too, as tombstones | docs "Excluding deleted tickets"; clients note "Zendesk streams deleted/scrubbed tickets" |
//!
//! INFERRED (undocumented, decided here and tested in `tests/incremental*.rs`):
//! - a time page holds `per_page` items, and resuming at its `end_time` repeats those of its
//!   last second, never skipping one; but a page that would hold nothing but its start second
//!   (more than `per_page` changes in one second, say a bulk import) runs on to the end of that
//!   second and resumes at the next, or `next_page` would repeat it forever;
//! - an empty page resumes where it started (`end_time` = `start_time`, the cursor unchanged);
//! - a soft-deleted ticket's change time is its deletion, a scrubbed one's its permanent
//!   deletion; a scrubbed ticket shows nothing but its id, dates and former status category;
//! - users are exported whatever their state: soft-deleted ones with `active:false`,
//!   permanently deleted ones as their scrubbed "Permanently Deleted User" placeholder.

use super::account::AccountData;
use super::clock::Timestamp;
use super::ticket_deletion::TicketRecord;
use super::tickets::{Ticket, TicketState};
use super::users::User;
use super::{Caller, Id};
use crate::error::{ApiError, ApiResult};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Changes younger than this are not exported yet.
pub const EXCLUDED_SECONDS: i64 = 60;
/// Most items a page holds (`per_page`, and the default).
pub const MAX_PER_PAGE: usize = 1000;
/// Most items a sample export holds (OAS IncrementalSampleExport).
pub const SAMPLE_SIZE: usize = 50;

/// 400 `{"error":"InvalidValue","description":…}`: the error kind Zendesk answers a bad
/// `start_time` with (recorded, see the module table).
pub fn invalid_value(description: impl Into<String>) -> ApiError {
    ApiError::BadRequest {
        error: "InvalidValue",
        description: description.into(),
    }
}

/// A place in an export: an item's change time and id. Items are exported in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub at: Timestamp,
    pub id: Id,
}

impl Position {
    /// The live cursor form: base64 of `{at}.0||{id}|`.
    pub fn encode(self) -> String {
        STANDARD.encode(format!("{}.0||{}|", self.at, self.id))
    }

    /// The position a cursor holds, if it is one of ours.
    pub fn decode(cursor: &str) -> Option<Self> {
        let raw = String::from_utf8(STANDARD.decode(cursor.trim()).ok()?).ok()?;
        let (at, id) = raw.strip_suffix('|')?.split_once("||")?;
        let at = at.strip_suffix(".0")?.parse::<Timestamp>().ok()?;
        let id = id.parse::<Id>().ok()?;
        (at >= 0 && id >= 0).then_some(Self { at, id })
    }
}

/// Where an export starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// `start_time`: items changed at or after it.
    Time(Timestamp),
    /// `cursor`: items after this position.
    After(Position),
}

impl Start {
    /// The position items must come after (ids are positive, so `(t, 0)` precedes second `t`).
    fn resume(self) -> Position {
        match self {
            Self::Time(at) => Position { at, id: 0 },
            Self::After(position) => position,
        }
    }
}

/// How pages are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// `after_cursor`: exactly `per_page` items, resumed after the last one.
    Cursor,
    /// `end_time`: resumed at the last item's second (which comes again).
    Time,
}

/// What a client asked for, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportRequest {
    pub start: Start,
    pub per_page: usize,
    pub paging: Paging,
}

/// One page of an export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportPage<T> {
    pub items: Vec<T>,
    /// Everything changed up to a minute ago has been returned.
    pub end_of_stream: bool,
    /// Where the next cursor page resumes (`after_cursor`).
    pub resume: Position,
    /// The `start_time` of the next time page (`end_time`).
    pub end_time: Timestamp,
}

/// A ticket as the ticket exports list it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExportedTicket<'a> {
    Live(&'a Ticket),
    /// Soft-deleted: the whole ticket, listed as `status: "deleted"`.
    Deleted(&'a Ticket),
    /// Permanently deleted: what remains of it.
    Scrubbed(&'a TicketRecord),
}

impl ExportedTicket<'_> {
    pub fn id(&self) -> Id {
        match self {
            Self::Live(ticket) | Self::Deleted(ticket) => ticket.id,
            Self::Scrubbed(record) => record.id,
        }
    }

    /// When it last changed: its `generated_timestamp` in the export.
    pub fn changed_at(&self) -> Timestamp {
        match self {
            Self::Live(ticket) => ticket.updated_at,
            Self::Deleted(ticket) => match ticket.state {
                TicketState::SoftDeleted { at, .. } => at.max(ticket.updated_at),
                TicketState::Active => ticket.updated_at,
            },
            Self::Scrubbed(record) => record.deleted_at,
        }
    }
}

impl AccountData {
    /// `GET /incremental/tickets[/cursor|/sample]`: live, soft-deleted and scrubbed tickets
    /// (the deleted ones left out when `exclude_deleted`). Admins only.
    pub fn export_tickets(
        &self,
        caller: &Caller,
        request: &ExportRequest,
        exclude_deleted: bool,
    ) -> ApiResult<ExportPage<ExportedTicket<'_>>> {
        caller.require_admin()?;
        let until = self.export_until(request.start)?;
        let tickets = self
            .tickets
            .values()
            .filter_map(|ticket| match ticket.state {
                TicketState::Active => Some(ExportedTicket::Live(ticket)),
                TicketState::SoftDeleted { .. } if !exclude_deleted => {
                    Some(ExportedTicket::Deleted(ticket))
                }
                TicketState::SoftDeleted { .. } => None,
            });
        let scrubbed = self
            .ticket_records
            .iter()
            .filter(|_| !exclude_deleted)
            .map(ExportedTicket::Scrubbed);
        let items = tickets
            .chain(scrubbed)
            .map(|t| {
                (
                    Position {
                        at: t.changed_at(),
                        id: t.id(),
                    },
                    t,
                )
            })
            .collect();
        Ok(cut(items, request, until))
    }

    /// `GET /incremental/users[/cursor|/sample]`: every user, deleted ones included. Admins only.
    pub fn export_users(
        &self,
        caller: &Caller,
        request: &ExportRequest,
    ) -> ApiResult<ExportPage<&User>> {
        caller.require_admin()?;
        let until = self.export_until(request.start)?;
        let items = self
            .users
            .values()
            .map(|u| {
                (
                    Position {
                        at: u.updated_at,
                        id: u.id,
                    },
                    u,
                )
            })
            .collect();
        Ok(cut(items, request, until))
    }

    /// The newest change time an export may show now; refuses a `start_time` less than a
    /// minute old (a cursor is never refused: it only points at what was exported already).
    fn export_until(&self, start: Start) -> ApiResult<Timestamp> {
        let until = self.now() - EXCLUDED_SECONDS;
        match start {
            Start::Time(at) if at > until => Err(invalid_value(
                "Too recent start_time. Use a start_time older than 1 minute",
            )),
            _ => Ok(until),
        }
    }
}

/// Cuts one page out of `items` (in any order): those after the start and no newer than
/// `until`, in position order, as `request.paging` says.
fn cut<T>(
    mut items: Vec<(Position, T)>,
    request: &ExportRequest,
    until: Timestamp,
) -> ExportPage<T> {
    let after = request.start.resume();
    items.retain(|(position, _)| *position > after && position.at <= until);
    items.sort_by_key(|(position, _)| *position);
    let mut end = items.len().min(request.per_page.max(1));
    // Nothing but the start second: take all of it, and resume after it.
    let stuck = request.paging == Paging::Time
        && end < items.len()
        && end
            .checked_sub(1)
            .is_some_and(|i| items[i].0.at == after.at);
    if stuck {
        while items.get(end).is_some_and(|(p, _)| p.at == after.at) {
            end += 1;
        }
    }
    let end_of_stream = end == items.len();
    items.truncate(end);
    let resume = items.last().map_or(after, |(position, _)| *position);
    let end_time = match items.last() {
        None => after.at,
        Some((last, _)) if stuck && !end_of_stream => last.at + 1,
        Some((last, _)) => last.at,
    };
    ExportPage {
        items: items.into_iter().map(|(_, item)| item).collect(),
        end_of_stream,
        resume,
        end_time,
    }
}

#[cfg(test)]
mod tests;
