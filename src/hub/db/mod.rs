//! The hub's PostgreSQL store: the pool, and the row mappings its reads
//! share. Every statement binds its parameters; an upload page is COPYed
//! into `records` in one transaction, so a page costs a few round trips.
//! Each job has its file: `migrate`, `validate` (the record checks),
//! `ingest` (uploads), `roster` (roster and catalog loads), `scans` (door
//! scans), `feed` (the change feed), `keys` (the hub's signing key),
//! `kiosks` (enrolment, each kiosk's keys, revocation),
//! `credentials` (the credentials' places in the status lists),
//! `queries` (certificates, reports, held claims), `sent` (what went to
//! PARS and CPE Monitor), `accounts` (the CE office's sign-in, sessions
//! and audit), `office` (what the office's pages read, and a void made
//! there), `mail` (the certificate by e-mail: its queue and history) and
//! `listen` (what other hub processes say).

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
mod validate;

use std::str::FromStr;

use anyhow::Context;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use super::award::Claimed;
use crate::domain::{CodeSet, Profession};
use crate::records::{AttendeeRow, SessionRow};

pub use accounts::{
    AuditLine, Checks, Session, SignIn, add_user, audit, audit_lines, remove_user, session,
    sign_in, sign_out,
};
pub use credentials::{credential_index, revoked};
pub use feed::changes_json;
pub use ingest::{Ingested, Timings, ingest};
pub use keys::signing_key;
pub use kiosks::{
    BundleKeys, CODE_MINUTES, Code, Credentials, Enrolment, Refusal, TokenOwner, add_kiosk,
    bundle_keys, check_kiosk_id, device_kiosk, device_owner, enrol, enrolled_before, enrolments,
    normal_code, revoke_kiosk, summary_keys, token_owner,
};
pub use listen::follow;
pub use migrate::migrate;
pub use office::{
    Activity, AttendeeRecords, CertLine, ClaimLine, Device, FOUND_MAX, OFFICE_DEVICE, VoidError,
    activity, attendee_records, devices, find_attendees, note_report, scan_counts, void_claim,
};
pub use queries::{
    DeviceRecords, HeldClaim, cert_data, count_records, device_state, held_claims, held_ids,
    latest_certificate, learners,
};
pub use roster::{Load, Loaded, load_roster};
pub use scans::{AttendeeScans, ClaimScan, ScanLine, attendee_scans, load_scans, roster_ids};
pub use sent::{Marked, SentLine, Submission, mark, sent_for, standing, standing_all, submissions};
pub use validate::{CLOCK_AHEAD, Sender};

/// What the store's functions return: an error says what failed, for the
/// hub's log or the person at the command line.
pub type Result<T, E = anyhow::Error> = std::result::Result<T, E>;

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

pub fn pool(url: &str, size: usize) -> Result<Pool> {
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
fn claimed_from(r: &tokio_postgres::Row, at: usize) -> Claimed {
    Claimed {
        credits: r.get::<_, i32>(at).max(0) as u32,
        claimed_at: r.get(at + 1),
        session: session_from(r, at + 2),
    }
}

/// The duplicate-claim rule: of the claims for the same attendee and
/// session that are not void and not held, the earliest by the kiosks'
/// clocks counts, ties broken by device id, then by seq; the others name
/// it in `duplicate_of`. The rule is applied in SQL, by the window `w` of
/// the `claims` view (the newest migration in `hub::schema` that creates
/// it, over `claim_state`), through `first_value(c.claim_id) OVER w`.
/// This is that window's text, which a test holds to the view.
pub const DUPLICATE_RULE: &str = "PARTITION BY c.badge_id, c.session_id, c.voided_at IS NULL AND c.held IS NULL \
     ORDER BY c.claimed_at, c.device_id, c.seq";

/// The designation rule at the hub, as `domain::credits::claim_fits` is at
/// the kiosk: a claim counts for at most its session's designation as the
/// catalog holds it now. The claims view holds a claim over it, with the
/// reason (its `held` column), so lowering a designation holds claims
/// without rewriting them; a claim under one quarter hour never gets that
/// far (`records::Body::check` refuses it). This is the `claim_state`
/// view's test (the claims view reads that view), which a test holds to it.
pub const DESIGNATION_RULE: &str = "WHEN c.credits_q > s.credits_q";

/// The door-scan rule: a claim (`c`, with its `badge_id` and `session_id`)
/// is flagged, never refused, when scans were taken at its session's door
/// and none of them is its attendee's, in either direction (ACCME leaves
/// how participation is verified to the provider). The credits report and
/// the attendee's page both read it.
pub const WITHOUT_SCAN: &str = "(EXISTS (SELECT 1 FROM scans x WHERE x.session_id = c.session_id) \
     AND NOT EXISTS (SELECT 1 FROM scans x WHERE x.session_id = c.session_id AND x.badge_id = c.badge_id))";

#[cfg(test)]
mod tests {
    use super::{DESIGNATION_RULE, DUPLICATE_RULE};
    use crate::hub::schema::{MIGRATIONS, view_definition};

    fn words(sql: &str) -> String {
        sql.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The newest definition of a view, as one line of words.
    fn newest_view(name: &str) -> String {
        words(
            view_definition(name, MIGRATIONS.len())
                .unwrap_or_else(|| panic!("no migration creates the {name} view")),
        )
    }

    #[test]
    fn claims_view_applies_the_duplicate_and_designation_rules() {
        let view = newest_view("claims");
        assert!(
            view.contains(&words(&format!("WINDOW w AS ({DUPLICATE_RULE})"))),
            "the claims view's window is not DUPLICATE_RULE: {view}"
        );
        assert!(
            view.contains("nullif(first_value(c.claim_id) OVER w, c.claim_id) END AS duplicate_of"),
            "the claims view does not name the first claim in duplicate_of: {view}"
        );
        assert!(
            view.contains("FROM claim_state c"),
            "the claims view does not read claim_state: {view}"
        );
        let state = newest_view("claim_state");
        assert!(
            state.contains(&words(DESIGNATION_RULE)),
            "claim_state does not hold claims over the designation: {state}"
        );
    }
}
