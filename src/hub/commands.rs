//! The hub commands run from the command line rather than over HTTP:
//! `cekiosk hub import` (a bundle carried by hand, the roster and
//! catalog, or door scans) and `cekiosk hub held`, and the readying of the
//! database that they and the server's start share.

use std::path::Path;

use anyhow::Result;
use deadpool_postgres::Pool;

use super::db;
use crate::config::Config;
use crate::sync::protocol::{PAGE, UploadResult};

/// Runs one command's work on the hub database, readied first, on a
/// runtime of its own: a command needs no more than two connections.
fn on_database<T>(
    config: &Config,
    database: &str,
    work: impl AsyncFnOnce(&Pool) -> Result<T>,
) -> Result<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let pool = db::pool(database, 2)?;
        prepare(&pool, config).await?;
        work(&pool).await
    })
}

/// Readies a hub database: its migrations, then what the config folder's
/// roster and catalog add (never undoing what was imported at the hub).
pub(super) async fn prepare(pool: &Pool, config: &Config) -> Result<()> {
    db::migrate(pool).await?;
    load_config_roster(pool, config).await
}

/// Adds the roster and catalog shipped in the config folder, if any, to
/// what the hub holds: rows the hub has already are left as they are.
pub async fn load_config_roster(pool: &Pool, config: &Config) -> Result<()> {
    let attendees_file = config.dir.join("attendees.csv");
    let sessions_file = config.dir.join("sessions.csv");
    let attendees = if attendees_file.exists() {
        crate::import::read_attendees(&attendees_file)?
    } else {
        Vec::new()
    };
    let sessions = if sessions_file.exists() {
        crate::import::read_sessions(&sessions_file, config)?
    } else {
        Vec::new()
    };
    let l = db::load_roster(pool, config, &attendees, &sessions, db::RosterMode::OnlyNew).await?;
    tracing::info!(
        attendees_added = l.attendees_changed,
        sessions_added = l.sessions_changed,
        "config roster loaded"
    );
    Ok(())
}

/// What `cekiosk hub import attendees|sessions` loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Roster {
    Attendees,
    Sessions,
}

/// What a roster or catalog import did, for the person who ran it.
#[derive(Debug, Clone)]
pub struct Imported {
    pub what: Roster,
    pub rows: usize,
    pub changed: usize,
    /// Claims held before the import that count now.
    pub released: i64,
    /// Claims that counted before and are held now (a session moved, its
    /// designation lowered).
    pub newly_held: i64,
}

impl Imported {
    pub fn summary(&self, file: &Path) -> String {
        let noun = match self.what {
            Roster::Attendees => "attendees",
            Roster::Sessions => "sessions",
        };
        let mut out = format!(
            "{}: {} {noun} read, {} new or changed at the hub; kiosks receive them at their next sync",
            file.display(),
            self.rows,
            self.changed
        );
        if self.released > 0 {
            out.push_str(&format!("\n{} held claims now count", self.released));
        }
        if self.newly_held > 0 {
            out.push_str(&format!(
                "\n{} claims no longer fit and are held for the CE office: see `cekiosk hub held`",
                self.newly_held
            ));
        }
        out
    }
}

/// `cekiosk hub import attendees|sessions FILE`: the hub's roster or
/// catalog, validated as the kiosk's import is (all or nothing, errors as
/// `FILE:LINE: what is wrong`), kept in PostgreSQL.
pub fn import_roster(
    config: &Config,
    database: &str,
    what: Roster,
    file: &Path,
) -> Result<Imported> {
    let (attendees, sessions) = match what {
        Roster::Attendees => (crate::import::read_attendees(file)?, Vec::new()),
        Roster::Sessions => (Vec::new(), crate::import::read_sessions(file, config)?),
    };
    on_database(config, database, async |pool| {
        let before = db::held_ids(pool).await?;
        let l =
            db::load_roster(pool, config, &attendees, &sessions, db::RosterMode::Update).await?;
        let after = db::held_ids(pool).await?;
        Ok(Imported {
            what,
            rows: attendees.len() + sessions.len(),
            changed: l.attendees_changed + l.sessions_changed,
            released: before.difference(&after).count() as i64,
            newly_held: after.difference(&before).count() as i64,
        })
    })
}

/// What a door scans import did, for the person who ran it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScansImported {
    /// The scans the file holds (a row repeated is one scan).
    pub scans: usize,
    /// Those the hub did not hold yet.
    pub new: usize,
}

impl ScansImported {
    pub fn summary(&self, file: &str) -> String {
        format!(
            "{file}: {} door scans read, {} new at the hub, {} already there; \
             kiosks receive them at their next sync",
            self.scans,
            self.new,
            self.scans - self.new
        )
    }
}

/// `cekiosk hub import scans FILE`: door scans, validated as the other
/// imports are (all or nothing, errors as `FILE:LINE: what is wrong`),
/// every badge and session one the hub holds.
pub fn import_scans(config: &Config, database: &str, file: &Path) -> Result<ScansImported> {
    on_database(config, database, async |pool| {
        let known = db::roster_ids(pool).await?;
        let scans = crate::import::read_scans(file, config, &known)?;
        Ok(ScansImported {
            scans: scans.len(),
            new: db::load_scans(pool, &scans).await?,
        })
    })
}

/// Door scans from a file's bytes (an upload on the CE office's pages),
/// named `file` in the messages: the same checks and the same load as
/// `cekiosk hub import scans`.
pub async fn load_scans_bytes(
    pool: &Pool,
    config: &Config,
    file: &str,
    bytes: Vec<u8>,
) -> Result<ScansImported> {
    let known = db::roster_ids(pool).await?;
    let scans = crate::import::parse_scans(file, bytes, config, &known)?;
    Ok(ScansImported {
        scans: scans.len(),
        new: db::load_scans(pool, &scans).await?,
    })
}

/// `cekiosk hub held`: every claim the hub holds, with its reason.
pub fn held(config: &Config, database: &str) -> Result<Vec<db::HeldClaim>> {
    on_database(config, database, async |pool| db::held_claims(pool).await)
}

/// `cekiosk hub add-user NAME`: an account for the CE office's pages, or
/// a new password for one. Says whether the account is new.
pub fn add_user(config: &Config, database: &str, name: &str, password: &str) -> Result<bool> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > 100
        || name.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        anyhow::bail!(
            "hub add-user: '{}' is not a user name (1 to 100 characters, no spaces)",
            crate::domain::sanitize(name)
        );
    }
    if password.chars().count() < 10 {
        anyhow::bail!("hub add-user: the password must be at least 10 characters long");
    }
    let hash = crate::domain::pin::hash(password)?;
    on_database(config, database, async |pool| {
        db::add_user(pool, name, &hash).await
    })
}

/// `cekiosk hub remove-user NAME`: removes the account and ends its
/// sessions; what it did stays in the audit.
pub fn remove_user(config: &Config, database: &str, name: &str) -> Result<bool> {
    on_database(config, database, async |pool| {
        db::remove_user(pool, name.trim()).await
    })
}

/// `cekiosk hub mail --resend BADGE_ID`: the attendee's certificate goes
/// again, now, through whichever hub process takes it.
pub fn resend_mail(config: &Config, database: &str, badge: &str) -> Result<db::mail::Resend> {
    on_database(config, database, async |pool| {
        db::mail::resend(pool, badge.trim()).await
    })
}

/// `cekiosk hub mail`: the messages queued, sent and refused, and the
/// newest refusals.
pub fn mail_state(
    config: &Config,
    database: &str,
) -> Result<(db::mail::MailCounts, Vec<db::mail::RefusedLine>)> {
    on_database(config, database, async |pool| {
        Ok((
            db::mail::counts(pool).await?,
            db::mail::refused(pool, &config.event.timezone, 50).await?,
        ))
    })
}

/// `cekiosk hub import FILE`: a bundle carried by hand, exactly once.
/// Only a bundle signed by a kiosk enrolled at this hub is taken (or, in
/// rehearsal mode, one signed with the fleet's shared secret this hub is
/// configured with: then `shared` is set, for a warning); its records go
/// through the checks an upload meets, as that kiosk's.
pub fn import_bundle(config: &Config, database: &str, file: &Path) -> Result<BundleImported> {
    let bundle = crate::sync::read_bundle(file)?;
    if bundle.event_id != config.event.id {
        anyhow::bail!(
            "{}: the bundle is for event '{}', this hub serves '{}'",
            file.display(),
            bundle.event_id,
            config.event.id
        );
    }
    on_database(config, database, async |pool| {
        let signer = db::bundle_keys(pool, &bundle.kiosk_id).await?;
        let shared = if signer.revoked {
            anyhow::bail!(
                "{}: kiosk {} was revoked by the CE office; its bundles are not taken. Enrol it \
                 again (cekiosk hub add-kiosk {}, then cekiosk enrol) and export again",
                file.display(),
                crate::domain::sanitize(&bundle.kiosk_id),
                crate::domain::sanitize(&bundle.kiosk_id)
            );
        } else if signer.keys.iter().any(|k| bundle.signed_with(k)) {
            false
        } else if !signer.enrolled
            && config.kiosk_tokens().iter().any(|t| {
                bundle.signed_with(&crate::domain::certificate_id::kiosk_key(
                    t,
                    &bundle.kiosk_id,
                ))
            })
        {
            true
        } else {
            anyhow::bail!(
                "{}: this bundle is not signed by a kiosk enrolled at this hub (it says kiosk {}, \
                 and {}). Enrol the kiosk (cekiosk hub add-kiosk ID, then cekiosk enrol at the \
                 kiosk) and export again; in rehearsal mode, give this command the fleet's shared \
                 secret (CEKIOSK_SYNC_TOKEN)",
                file.display(),
                crate::domain::sanitize(&bundle.kiosk_id),
                if bundle.signature.is_empty() {
                    "it carries no signature"
                } else {
                    "its signature is not that kiosk's, or the bundle was changed"
                }
            );
        };
        let sender = db::Sender {
            kiosk_id: &bundle.kiosk_id,
            enrolled: !shared,
            received: jiff::Timestamp::now(),
        };
        let mut total = UploadResult {
            high_seq: 0,
            inserted: 0,
            repeated: 0,
            rejected: vec![],
            conflicts: vec![],
        };
        for page in bundle.records.chunks(PAGE) {
            let checked = crate::hub::upload::check_records(page, &sender);
            let r = match db::ingest(pool, &bundle.device_id, &sender, checked).await? {
                db::Ingested::Taken(r, _) => r,
                db::Ingested::NotYours { owner } => anyhow::bail!(
                    "{}: device {} belongs to kiosk {owner}, not kiosk {}; nothing was taken",
                    file.display(),
                    bundle.device_id,
                    crate::domain::sanitize(&bundle.kiosk_id)
                ),
            };
            if !r.conflicts.is_empty() {
                anyhow::bail!(
                    "{}: the hub already holds other records at {} of this bundle's sequence numbers \
                     for device {} (a kiosk restored from a backup, or cloned); they are kept for the \
                     CE office (`cekiosk hub held`). Run `cekiosk sync` on that kiosk instead: it \
                     sends them again under a new device id",
                    file.display(),
                    r.conflicts.len(),
                    bundle.device_id
                );
            }
            total.high_seq = r.high_seq;
            total.inserted += r.inserted;
            total.repeated += r.repeated;
            total.rejected.extend(r.rejected);
        }
        Ok(BundleImported {
            result: total,
            shared,
        })
    })
}

/// What `cekiosk hub import FILE` did.
#[derive(Debug)]
pub struct BundleImported {
    pub result: UploadResult,
    /// Signed with the fleet's shared secret, not a kiosk's own key.
    pub shared: bool,
}

/// `cekiosk hub add-kiosk KIOSK_ID`: a one-time enrolment code for that
/// kiosk, valid `minutes`.
pub fn add_kiosk(
    config: &Config,
    database: &str,
    kiosk_id: &str,
    minutes: u32,
) -> Result<db::Code> {
    on_database(config, database, async |pool| {
        db::add_kiosk(pool, kiosk_id, "command line", minutes).await
    })
}

/// `cekiosk hub revoke-kiosk KIOSK_ID`: the hub refuses that kiosk's
/// credentials from now on. Whether there was such a kiosk, not revoked.
pub fn revoke_kiosk(config: &Config, database: &str, kiosk_id: &str) -> Result<bool> {
    on_database(config, database, async |pool| {
        db::revoke_kiosk(pool, kiosk_id, "command line").await
    })
}
