//! The command line as clap reads it: every command, flag and default, and
//! the help text a person sees. Command names and flags are a contract with
//! scripts and the operator's notes, so they change only deliberately.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "cekiosk", version, about = "Continuing-education credit kiosk")]
pub struct Cli {
    /// The event's configuration folder (event.toml, attendees.csv, sessions.csv).
    #[arg(long, global = true, default_value = "config")]
    pub config: PathBuf,
    /// The kiosk's SQLite database.
    #[arg(long, global = true, default_value = "kiosk.db")]
    pub db: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The full-screen kiosk (the default).
    Run {
        /// The event clock, for rehearsal and tests: YYYY-MM-DDTHH:MM, local to the event.
        #[arg(long)]
        now: Option<String>,
    },
    /// Validate and load a roster or catalog, all or nothing.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Counts and upload state.
    Status {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Read a PIN and print its Argon2 hash for `staff_pin_hash`.
    HashPin,
    /// Check a machine after setting it up: config, database, roster,
    /// catalog, clock, hub.
    Check,
    /// Upload everything not yet confirmed, then download the roster and
    /// other kiosks' claims. Safe to repeat and to interrupt.
    Sync {
        /// The hub's URL (default: [sync] hub_url).
        #[arg(long)]
        hub: Option<String>,
    },
    /// Write a bundle of this kiosk's records, for carrying to the hub by hand.
    Export { file: PathBuf },
    /// Copy the live database consistently (e.g. to a USB stick), even while
    /// the kiosk runs.
    Backup { file: PathBuf },
    /// Remove what the hub has confirmed and is older than the retention
    /// given; never a record the hub has not confirmed.
    Purge {
        /// Keep everything younger than this many days (0: remove all that
        /// the hub has confirmed).
        #[arg(long, value_name = "DAYS")]
        older_than: u32,
    },
    /// Trade a one-time enrolment code from the CE office (`cekiosk hub
    /// add-kiosk`) for this kiosk's own credentials at the hub, kept in its
    /// database. Enrolling again rolls the kiosk's key; nothing it has not
    /// uploaded is lost.
    Enrol {
        /// The hub's URL (default: [sync] hub_url).
        #[arg(long)]
        hub: Option<String>,
        /// The code, as printed or shown on the hub's Kiosks page.
        code: String,
    },
    /// The central hub on PostgreSQL.
    Hub {
        #[command(subcommand)]
        action: Option<HubAction>,
        /// Address to listen on, e.g. 127.0.0.1:8787.
        #[arg(long, default_value = "127.0.0.1:8787")]
        listen: String,
        /// PostgreSQL URL (default: the DATABASE_URL environment variable).
        #[arg(long, global = true)]
        database: Option<String>,
        /// The hub's log file.
        #[arg(long, default_value = "hub.log")]
        log: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum HubAction {
    /// `hub import FILE`: an export bundle, exactly once however often it
    /// is loaded. `hub import attendees FILE` / `hub import sessions FILE`:
    /// the hub's roster and catalog (all or nothing, as the kiosk's
    /// import); `hub import scans FILE`: door scans (badge_id, session_id,
    /// scanned_at, optional direction). Kiosks receive the changes at
    /// their next sync.
    Import {
        #[arg(num_args = 1..=2, value_names = ["WHAT", "FILE"])]
        args: Vec<PathBuf>,
    },
    /// The claims the hub holds and does not count, with the reasons.
    Held,
    /// An account for the CE office's pages (or a new password for one):
    /// the password is read from the terminal without echo, or from
    /// standard input when that is not a terminal.
    AddUser { name: String },
    /// Removes an account and ends its sessions.
    RemoveUser { name: String },
    /// Makes a one-time enrolment code for a kiosk (printed alone on the
    /// last line), which `cekiosk enrol` at that kiosk trades for its own
    /// credentials. The code works once and expires.
    AddKiosk {
        kiosk_id: String,
        /// How long the code works.
        #[arg(long, default_value_t = 60, value_name = "MINUTES")]
        expires_in: u32,
    },
    /// From now on the hub refuses that kiosk's credentials; what it
    /// already uploaded stays counted.
    RevokeKiosk { kiosk_id: String },
    /// The certificate by e-mail: how many messages are queued, sent and
    /// refused, and the addresses refused. `--resend BADGE_ID` sends the
    /// attendee's certificate again, now, whatever was sent before.
    Mail {
        #[arg(long, value_name = "BADGE_ID")]
        resend: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// attendees.csv: badge_id, first_name, last_name, degree, profession, email.
    Attendees { file: PathBuf },
    /// sessions.csv: session_id, title, starts_at, ends_at, credits, credit_types.
    Sessions { file: PathBuf },
}
