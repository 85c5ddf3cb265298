//! The hub's PostgreSQL store: the pool, and the row mappings its reads
//! share. Every statement binds its parameters; an upload page is COPYed
//! into `records` in one transaction, so a page costs a few round trips.
//! Each job has its file: `migrate`, `ingest` (uploads, as `hub::upload`
//! checked them), `roster` (roster and catalog loads), `scans` (door
//! scans), `feed` (the change feed), `keys` (the hub's signing key),
//! `kiosks` (enrolment, each kiosk's keys, revocation),
//! `credentials` (the credentials' places in the status lists),
//! `queries` (certificates, reports, held claims), `sent` (what went to
//! PARS and CPE Monitor), `accounts` (the CE office's sign-in, sessions
//! and audit), `office` (what the office's pages read, and a void made
//! there), `mail` (the certificate by e-mail: its queue and history) and
//! `listen` (what other hub processes say); `typed` writes the typed
//! tables' rows of an upload page.

mod accounts;
mod credentials;
mod feed;
mod ingest;
mod keys;
mod kiosks;
mod listen;
pub mod mail;
mod migrate;
mod office;
mod queries;
mod roster;
mod scans;
mod sent;
mod typed;

use std::str::FromStr;

use anyhow::Context;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use super::held::{HeldClaimValues, HeldReason};
use crate::domain::{CodeSet, Profession};
use crate::records::CountedClaim;
use crate::records::{AttendeeRow, SessionRow};

pub use accounts::{
    AuditLine, Checks, OfficeSession, SignIn, add_user, audit, audit_lines, remove_user, session,
    sign_in, sign_out,
};
pub use credentials::{credential_index, revoked};
pub use feed::changes_json;
pub use ingest::{CheckedPage, Ingested, Sender, StoredRecord, Timings, ingest};
pub use keys::signing_key;
pub use kiosks::{
    BundleKeys, CODE_MINUTES, Code, EnrolRefusal, EnrolledCredentials, Enrolment, TokenOwner,
    add_kiosk, bundle_keys, check_kiosk_id, device_kiosk, device_owner, enrol, enrolled_before,
    enrolments, normal_code, revoke_kiosk, summary_keys, token_owner,
};
pub use listen::follow;
pub use migrate::migrate;
pub use office::{
    Activity, AttendeeClaim, AttendeeRecords, CertLine, Device, FOUND_MAX, OFFICE_DEVICE,
    VoidError, activity, attendee_records, devices, find_attendees, note_report, scan_counts,
    void_claim,
};
pub use queries::{
    DeviceRecords, HeldClaim, Learner, cert_data, count_records, device_held_sql, device_state,
    held_claims, held_ids, latest_certificate, learners,
};
pub use roster::{RosterChanges, RosterMode, load_roster};
pub use scans::{AttendeeScans, ClaimScan, ScanLine, attendee_scans, load_scans, roster_ids};
pub use sent::{
    FileRow, Marked, RowAction, Sent, SentLine, SentRows, Submission, System, mark, sent_for,
    standing, standing_all, submissions,
};

/// What the store's functions return: an error says what failed, for the
/// hub's log or the person at the command line.
pub type DbResult<T, E = anyhow::Error> = std::result::Result<T, E>;

/// The planner's price of a page read out of order, relative to one read
/// in sequence, on the hub's connections. PostgreSQL's default (4) prices
/// a spinning disk; the hub's database is read from memory and SSD, where
/// 1.1 is the usual setting. At the default a certificate page's claims
/// were joined to the catalog by reading all 300 sessions and hashing them,
/// twice per page; priced for SSD each claim finds its session through the
/// key. Under 100 clients the week's page went from 2,230 to 3,060 pages/s
/// (p99 60 to 45 ms); the reports, which read everything, did not move.
/// A `random_page_cost` in the database URL's `options` is kept.
pub const RANDOM_PAGE_COST: &str = "1.1";

pub fn pool(url: &str, size: usize) -> DbResult<Pool> {
    let mut config =
        tokio_postgres::Config::from_str(url).context("the database URL is not valid")?;
    let options = config.get_options().unwrap_or_default().to_string();
    if !options.contains("random_page_cost") {
        config.options(format!("{options} -c random_page_cost={RANDOM_PAGE_COST}").trim_start());
    }
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(size)
        .build()
        .context("creating the connection pool")
}

fn session_from(r: &tokio_postgres::Row, at: usize) -> SessionRow {
    let credits: i32 = r.get(at + 4);
    let types: String = r.get(at + 5);
    SessionRow {
        session_id: r.get(at),
        title: r.get(at + 1),
        starts_at: r.get(at + 2),
        ends_at: r.get(at + 3),
        credits: credits.max(0) as u32,
        credit_types: CodeSet::parse_list(&types).unwrap_or_default(),
        track: r.get(at + 6),
        room: r.get(at + 7),
        acpe_uan: r.get(at + 8),
    }
}

fn attendee_from(r: &tokio_postgres::Row, at: usize) -> Option<AttendeeRow> {
    let badge: Option<String> = r.get(at);
    let profession: String = r.get::<_, Option<String>>(at + 4)?;
    Some(AttendeeRow {
        badge_id: badge?,
        first_name: r.get(at + 1),
        last_name: r.get(at + 2),
        degree: r.get(at + 3),
        profession: profession.parse().unwrap_or(Profession::Other),
        email: r.get(at + 5),
    })
}

const SESSION_COLS: &str = "s.session_id, s.title, s.starts_at, s.ends_at, s.credits_q, s.credit_types, s.track, s.room, s.acpe_uan";

/// A counted claim from a row of credits_q, claimed_at, then SESSION_COLS.
fn claimed_from(r: &tokio_postgres::Row, at: usize) -> CountedClaim {
    CountedClaim {
        credits: r.get::<_, i32>(at).max(0) as u32,
        claimed_at: r.get(at + 1),
        session: session_from(r, at + 2),
    }
}

/// What the claims views give of a held claim: the reason's code, then
/// the values it names (read by [`held_from`]).
const HELD_COLS: &str =
    "c.held, c.session_id, c.badge_id, c.credits_q, c.designated_q, c.claimed_at";

/// Why a claim is held, from a row of HELD_COLS at `at`: `None` when it
/// is not (a code this build does not know is still held:
/// `tests/nothing_lost.rs` has the hub word each code the views give).
fn held_from(r: &tokio_postgres::Row, at: usize) -> Option<HeldReason> {
    let code: Option<&str> = r.get(at);
    Some(HeldReason::from_view(
        code?,
        HeldClaimValues {
            session_id: r.get(at + 1),
            badge_id: r.get(at + 2),
            credits_q: r.get(at + 3),
            designated_q: r.get(at + 4),
            claimed_at: r.get(at + 5),
        },
    ))
}

// The claims views' rules (migration 18 has them as they stand):
// - duplicates: of the claims for the same attendee and session that are
//   not void and not held, the earliest by the kiosks' clocks counts, ties
//   broken by device id, then by seq; the others name it in
//   `duplicate_of` (the `claims` view's window over `claim_state`);
// - designation: as `domain::credits::claim_fits` at the kiosk, a claim
//   counts for at most its session's designation as the catalog holds it
//   now; `claim_state` holds one over it (`over_designation`), so lowering
//   a designation holds claims without rewriting them; a claim under one
//   quarter hour never gets that far (`records::Body::check` refuses it).
// `tests/sync_hub/kiosks.rs` holds the hub to the first, and
// `tests/nothing_lost.rs` to the second and to every held reason's words.

/// The door-scan rule: a claim (`c`, with its `badge_id` and `session_id`)
/// is flagged, never refused, when scans were taken at its session's door
/// and none of them is its attendee's, in either direction (ACCME leaves
/// how participation is verified to the provider). The credits report and
/// the attendee's page both read it.
pub const WITHOUT_SCAN: &str = "(EXISTS (SELECT 1 FROM scans x WHERE x.session_id = c.session_id) \
     AND NOT EXISTS (SELECT 1 FROM scans x WHERE x.session_id = c.session_id AND x.badge_id = c.badge_id))";
