//! The upload's decisions, as pure functions (atuin's `operations()`):
//! from what the hub says of this device, what the outbox holds and what
//! the database ever wrote, the steps to take; and from the hub's answer
//! to a page, what to make of it. `client::upload` asks the hub, reads the
//! outbox and carries the steps out; here there is no network and no
//! database, so the rules are property-tested on their own.
//!
//! The rule that matters most: a rejection is this kiosk's only when it
//! names the record this kiosk wrote at that seq. Another database may
//! have written that seq under the same device id (a kiosk restored from a
//! backup, a cloned disk), or someone holding a kiosk's key may have sent
//! junk there: neither may make this kiosk drop a record of its own.

use super::protocol::{DeviceState, UploadResult};
use crate::records::Rejected;
pub use crate::records::Unconfirmed;

/// What to do before and around the upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncStep {
    /// The hub holds these records of this kiosk's and rejected them:
    /// mark them so here (kept, with the reason, never sent again under
    /// this device id).
    MarkRejected(Vec<Rejected>),
    /// Send the records the hub has not confirmed, in seq order, a page
    /// at a time; [`after_page`] reads each answer.
    Upload,
    /// The hub holds more of this device than this database ever wrote:
    /// another database uses this device id. Once what the hub has not
    /// confirmed is sent (the hub tells the same record from another),
    /// take a new id before this database writes on a seq the hub holds.
    NewDeviceIdAfterUpload { notice: String },
}

/// The hub's rejections that are this kiosk's: same seq, same record id,
/// not yet marked. A rejection without a record id (a hub older than
/// them) or naming another record is not.
pub fn ours(rejected: &[Rejected], unconfirmed: &[Unconfirmed]) -> Vec<Rejected> {
    rejected
        .iter()
        .filter(|r| {
            !r.record_id.is_empty()
                && unconfirmed
                    .binary_search_by_key(&r.seq, |u| u.seq)
                    .ok()
                    .is_some_and(|i| {
                        let u = &unconfirmed[i];
                        u.record_id == r.record_id && !u.rejected
                    })
        })
        .cloned()
        .collect()
}

/// The steps before the first page: `unconfirmed` in seq order, `written`
/// the highest seq this database ever gave a record.
pub fn before_upload(
    device_id: &str,
    hub: &DeviceState,
    unconfirmed: &[Unconfirmed],
    written: i64,
) -> Vec<SyncStep> {
    let mut steps = Vec::new();
    let mine = ours(&hub.rejected, unconfirmed);
    if !mine.is_empty() {
        steps.push(SyncStep::MarkRejected(mine));
    }
    steps.push(SyncStep::Upload);
    if hub.high_seq > written {
        steps.push(SyncStep::NewDeviceIdAfterUpload {
            notice: format!(
                "the hub holds records up to {} for device {device_id}, more than this database ever \
                 wrote ({written}) (restored from a backup, or cloned from another kiosk's disk)",
                hub.high_seq
            ),
        });
    }
    steps
}

/// What the hub's answer to a page means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageOutcome {
    /// The hub holds the page's records: these seqs are confirmed, these
    /// of them rejected (this kiosk's own, by record id).
    Confirmed {
        seqs: Vec<i64>,
        rejected: Vec<Rejected>,
    },
    /// The hub holds other records at some of the page's seqs for this
    /// device id: take a new id, and send under it everything the hub has
    /// not confirmed, the records marked rejected too (their rejection
    /// may have been another database's record).
    NewDeviceId { notice: String },
}

/// Reads the hub's answer to `page` (its rows, in seq order), sent as
/// `device_id`; `rekeyed` when this sync already took a new id. An answer
/// that cannot be right is an error, and nothing is marked.
pub fn after_page(
    device_id: &str,
    page: &[Unconfirmed],
    result: &UploadResult,
    rekeyed: bool,
) -> Result<PageOutcome, String> {
    let conflict = |n: usize| {
        if rekeyed {
            Err(format!(
                "the hub found conflicting records for the new device id {device_id}"
            ))
        } else {
            Ok(PageOutcome::NewDeviceId {
                notice: format!(
                    "the hub holds other records at {n} of this kiosk's sequence numbers for device \
                     {device_id} (restored from a backup, or cloned from another kiosk's disk)"
                ),
            })
        }
    };
    if !result.conflicts.is_empty() {
        return conflict(result.conflicts.len());
    }
    let last = page.last().map_or(0, |u| u.seq);
    if result.high_seq < last {
        return Err(format!(
            "the hub confirmed up to {} of a page ending at {last}",
            result.high_seq
        ));
    }
    // A rejection at one of the page's seqs that names another record:
    // the hub holds another database's record there.
    let others = result
        .rejected
        .iter()
        .filter(|r| {
            !r.record_id.is_empty()
                && page
                    .iter()
                    .any(|u| u.seq == r.seq && u.record_id != r.record_id)
        })
        .count();
    if others > 0 {
        return conflict(others);
    }
    let unmarked: Vec<Unconfirmed> = page
        .iter()
        .map(|u| Unconfirmed {
            rejected: false,
            ..u.clone()
        })
        .collect();
    Ok(PageOutcome::Confirmed {
        seqs: page.iter().map(|u| u.seq).collect(),
        rejected: ours(&result.rejected, &unmarked),
    })
}

#[cfg(test)]
mod tests;
