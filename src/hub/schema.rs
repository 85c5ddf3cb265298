//! The hub's PostgreSQL schema, as ordered migrations applied at start:
//! one SQL file each under `migrations/` (`NNNN_name.sql`), read in at
//! build time, with why each was made beside it here. `hub_schema` holds
//! how many have been applied, so a released migration is never edited
//! (a test pins each file's SHA-256): a change is a new file, appended.

pub const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    include_str!("migrations/0001_first_schema.sql"),
    // 2: duplicate claims are found by (badge, session); the key to
    // devices is dropped, as ingest inserts the device first in the same
    // transaction and its check cost a lookup per record.
    include_str!("migrations/0002_claims_by_badge_session.sql"),
    // 3: the records are the change feed and the tables certificates and
    // reports read are views over them. An upload page is then one COPY
    // into one table: nothing is written twice, and no lock makes pages
    // take turns. The feed's order is the writing transaction's id, then
    // the record's seq: the hub only serves transactions older than every
    // one still running, so a late commit never lands behind a cursor. The
    // payload is kept as the kiosk's JSON text (json, not jsonb): it is
    // served back to every other kiosk as it came, and read by key only for
    // one attendee's page or a report (each view parses a payload once,
    // with json_to_record). Rows from before this migration get
    // made-up transaction ids that sort before any real one: the hub's
    // roster rows 1, each device's records one of their own from 3 on;
    // kiosk cursors of the old form start the feed over.
    include_str!("migrations/0003_records_are_the_feed.sql"),
    // 4: the hub is the system of record for the roster and the catalog,
    // and a claim it cannot place is held, not lost. A session's times are
    // kept as instants too (the hub knows the event's zone), so the rules
    // can be read in SQL. Whether a claim is held is worked out when it is
    // read, from the roster and catalog as they are now: a claim for a
    // session or attendee imported later counts the moment it is there, and
    // a session moved or its designation lowered holds the claims it no
    // longer fits, without rewriting them. Of the claims not void and not
    // held for the same attendee and session, the earliest by the kiosks'
    // clocks counts and the others name it in duplicate_of
    // (the rules in `hub::db`). A different record at a sequence the hub
    // already holds for a device (a kiosk restored from a backup, or cloned)
    // is kept in conflicts for the office.
    include_str!("migrations/0004_held_claims_and_conflicts.sql"),
    // 5: every view reads a record kind's whole payload, as the struct in
    // `crate::records` that kiosks write it from: one list of fields per
    // kind, in the struct and in the view, that a test holds together
    // (`view_columns_are_the_record_fields`). Each `json_to_record` is
    // named after its kind. True/false fields are read as json and
    // compared, so a record stored before the hub checked their type
    // cannot stop a view. What the views compute is as in migration 4.
    include_str!("migrations/0005_views_read_whole_payloads.sql"),
    // 6: whether a claim is void or held does not depend on the other
    // claims, only which of an attendee's claims for a session counts does.
    // `claim_state` is the first (one claim at a time, so a question about
    // one device's or one attendee's claims reads only theirs, through the
    // indexes); `claims` adds the duplicate rule's window over it. A kiosk's
    // sync asks for its device's held claims every time: over the whole
    // window that read every claim at the hub (350 ms at 64,000 records).
    include_str!("migrations/0006_claim_state.sql"),
    // 7: the hub's Ed25519 key, made once and shared by every hub process,
    // which signs the certificates' Open Badges credentials. One row.
    include_str!("migrations/0007_signing_key.sql"),
    // 8: door scans, loaded with `cekiosk hub import scans` and sent to
    // kiosks on the feed (kind `scan`). A scan is its four fields: the
    // same badge, session, minute and direction imported again is the
    // same scan, so a file imported twice adds nothing. Kept as imported
    // (append-only); a claim for a session whose door was scanned is
    // flagged when its attendee has no scan there (`hub::db::WITHOUT_SCAN`).
    // No foreign keys: the import checks every badge and session against
    // the roster and catalog first (the hub never deletes either), and a
    // key check per row made importing 228,000 scans three times slower.
    include_str!("migrations/0008_door_scans.sql"),
    // 9: the CE office's web pages. Accounts (an Argon2id hash, the wrong
    // passwords in a row and the lock they lead to, as `domain::pin`'s
    // rule); signed-in sessions, kept by the SHA-256 of their cookie so a
    // copy of the database opens none, each with its form token and a
    // sliding end; an audit of what each account did (its name is kept,
    // not a key, so removing an account keeps its history). Devices keep
    // what the kiosk last said of itself (program version, its clock
    // against the hub's, what it had not uploaded, how its last sync
    // went, its upload interval) and what the hub made of its last page.
    include_str!("migrations/0009_office_accounts.sql"),
    // 10: a certificate carries the language the attendee used at the
    // kiosk, so its page opens in it.
    include_str!("migrations/0010_certificate_language.sql"),
    // 11: what the pages and reports read is kept in typed tables, one
    // row per record (an evaluation's answers one row each), written in
    // the same statement as the records by triggers on `records`: an
    // upload's COPY, a record rejected later, anything deleted. The views
    // keep their names and columns and read these tables, so nothing that
    // reads them changes. At 2,000,000 records the views over the JSON
    // payloads parsed every payload on each read (each report read all,
    // each certificate page an attendee's); the tables are read through
    // their indexes. Whether a claim is held, void or a duplicate is still
    // worked out when it is read: the roster and catalog can change after.
    // `claimed_utc` is `claimed_at` as an instant (the hub checks its form
    // before it takes a claim).
    include_str!("migrations/0011_typed_tables.sql"),
    // 12: each kiosk its own key (docs/security.md). The CE office adds a
    // kiosk and gets a one-time enrolment code, kept only as its SHA-256
    // (it holds 80 random bits, so no slow hash is needed); the kiosk
    // trades it for a token (kept only as its SHA-256) and a key that
    // signs its certificate summaries and export bundles (kept as is: the
    // hub verifies with it). A key is retired when the kiosk enrols again
    // (rolled) or is revoked: its token is refused from then on, and a
    // summary dated after it is not verified. A device id belongs to the
    // kiosk that first uploaded under it, for good, and the pages and
    // reports name that kiosk for its records, whatever a record says. A
    // walk-in that differs from the attendee the hub holds is kept beside
    // it for the office, never written over it. Newest-wins reads the kiosks' times as
    // instants, and records whose time is not one are set aside.
    include_str!("migrations/0012_kiosk_keys.sql"),
    // 13: the CE office's sign-in throttle (`domain::sign_in`): wrong
    // passwords counted per account at one client address, per address
    // and for the whole hub, each row updated in one statement so guesses
    // sent at once are all counted. An account is no longer locked as
    // such (anyone could lock any account by guessing at it), so its
    // count and lock leave `admin_users`. `noted` keeps the audit to one
    // line a minute for attempts refused while a scope is stopped.
    include_str!("migrations/0013_sign_in_throttle.sql"),
    // 14: each Open Badges credential the hub issues has a place in a W3C
    // Bitstring Status List (`hub::credential`): `idx` counts across the
    // lists of 131,072. A credential is its certificate and what it says
    // (`content`, a SHA-256 over the signed payload and `claim_ids`, the
    // claims it counted): fetched again unchanged, it keeps its place;
    // changed, it is a new credential with a new place. It reads as
    // revoked once a claim it counted is void (`void_rows`), worked out
    // when a list is read, so a void made anywhere (a kiosk's record, the
    // office's page, an import) needs nothing more.
    include_str!("migrations/0014_credential_status.sql"),
    // 15: the certificate by e-mail (docs/mail.md). `mail_messages` is
    // the queue and its history, one row per message: several hub
    // processes take rows with FOR UPDATE SKIP LOCKED, and at most one row
    // per attendee waits (`mail_one_queued`), carrying the certificate as
    // it stands when it is sent. `fingerprint` is a hash of what a sent
    // message said (the certificate's words and figures, the address, the
    // language): an attendee whose certificate still says that gets no
    // other. `mail_refused` is every address a mail server refused for
    // good; `mail_cursor` is how far the planner has read the records, in
    // the feed's order, so a restart reads on from there. A visit can
    // decline the message: `mail_declined` on its certificate record,
    // kept beside the other fields by a trigger of its own, which fires
    // after `records_typed`'s (triggers on one event fire in name order).
    include_str!("migrations/0015_mail.sql"),
    // 16: what the hub sent to PARS and CPE Monitor: the receiving systems keep
    // what they were sent, so a correction is a Delete of the row as it
    // was sent. Each file the CE office marks as uploaded is a submission
    // (who marked it, when, and whether it was the whole file), and each
    // of its rows is kept as it went: the row's key at the receiving
    // system, the attendee, Add or Delete, and its fields. What a system
    // holds now is each key's latest row, where that is an Add.
    include_str!("migrations/0016_submissions.sql"),
    // 17: a kiosk asks for its device's rejected records at every sync;
    // they are few, and without an index of their own each ask read every
    // record of the device (payload and all) to find them.
    include_str!("migrations/0017_rejected_by_device.sql"),
    // 18: a held claim's reason is a code (`session_not_in_catalog`,
    // `attendee_not_on_roster`, `over_designation`, `not_ended`) and the
    // values it names are the claim's columns and the session's
    // designation now (`designated_q`), not an English sentence: the hub
    // reads them into `hub::held::HeldReason` and words it in the
    // language of the page that shows it. What is held, and when, is as in
    // migration 11.
    include_str!("migrations/0018_held_reason_codes.sql"),
    // 19: the typed tables' upkeep finds the kiosk of a claim's or a
    // certificate's device in a map of the statement's devices, made once,
    // instead of a join the planner ran as every new row against every
    // device (it takes a transition table's filtered rows for a handful);
    // a certificate's mail_declined is written with the row instead of
    // by a second trigger's UPDATE; and migration 17's index, the same as
    // migration 3's `records_rejected`, goes. The day-5 COPY into
    // `records` (66,640 rows, 100 devices) took 3.0–3.3 s before, 1.6–2.6 s
    // after, of which 0.8–1.2 s is `records` and its own indexes.
    include_str!("migrations/0019_typed_upkeep_by_key.sql"),
    // 20: the records' indexes nothing reads since the typed tables go
    // (by badge, by certificate, of voids): each upload kept them, for
    // about a tenth of its COPY (day 5's 66,640 records into `records`:
    // 2.04–2.21 s with them, 1.85–1.98 s without). The office's list of
    // an attendee's rejected records has a small index of its own.
    include_str!("migrations/0020_records_indexes_in_use.sql"),
    // 21: an evaluation is one typed row (when it was answered), not one
    // row per answer with a key and a badge index each: the largest piece
    // of an upload's upkeep, while the hub reads only each attendee's
    // newest time. The `answers` view reads the answers from the records.
    // Day 5's 66,640 records COPYed into `records` on a copy of the week's
    // database: 2.88–3.39 s before, 2.76–2.97 s after; the same records
    // as 100 pages, 4 at a time: PostgreSQL's CPU 5.4–5.6 s before,
    // 4.8–5.0 s after.
    include_str!("migrations/0021_one_row_per_evaluation.sql"),
    // 22: why a claim is held is one function, `held_code`, that
    // `claim_state` and a device's held claims (`hub::db::device_held_sql`,
    // which looks each of the device's attendees up on the roster once)
    // both read.
    include_str!("migrations/0022_held_rule_once.sql"),
    // 23: an upload page's typed rows are written by the hub from the
    // records it checked (`hub::db::typed`), and the insert trigger leaves
    // that transaction's records alone; every other insert still gets its
    // rows from the trigger. Day 5's 66,640 records in one transaction on
    // a copy of the week's database: 2.38–3.16 s COPYed with the trigger,
    // 1.88–2.28 s with the typed rows COPYed beside them.
    include_str!("migrations/0023_typed_rows_from_the_upload.sql"),
];

#[cfg(test)]
mod migration_files {
    use sha2::{Digest, Sha256};

    use super::MIGRATIONS;

    /// The SHA-256 of every migration, in order. A hub that applied one
    /// never runs it again, so editing one that was released would leave
    /// hubs that differ by when they were set up: change the schema with a
    /// new migration, and add its digest here with it.
    const RELEASED: &[&str] = &[
        "fe648adfe74153607d514b9c27c95b63915c17505c5d537f521806c8236945f6",
        "9ce1ac5340455618b786adc6e7d4828eeb0d17a8699d33fe810d3357e49b6897",
        "5e540a65fb743d4371f2ff828c6e55ee9c4476a77805b7ecca88645a52499a03",
        "e5e999fd22b4704c13f0da32dc60d4efc836a605ba4d7c71b9239ad7d17d4bcd",
        "863b6586ac2d6ab3257e7a492722cd6aa19a7863512158b776b35adbe4621b9a",
        "818d2791ea9cc554a4e8761c8eacb8dd3cf4e5d7dfc51ad66a247e9fba7bd5e0",
        "edbade4736229a4ab76c33fd9993c773505a058fe3d720c723648592f436503c",
        "1d638c2e8d425300f23b8c1ce3a10d83b5a3f18f333c072828646d638058ef5d",
        "873054fa3fd6a2d8a08aaf6e57073736df37237d9750d92c0cbfcedf9107e838",
        "bf83d8a4b34d9ea80ca0f75a48711f0f07daeb4cb939ea30cc98267f27db0468",
        "b5b58fe1af8118b645025aeb8fee7c975ef0ce7a428381243825350b11d284ad",
        "ac3b2ded4270f20e03878556ace0b1023c99b3ee073e98b716530b1cc0234db2",
        "5ed8d414e09cc5c49437847fc22b89840999f48f0a59f960a6596c6954fa7244",
        "e60b6964bad1cbbb313a812f5ba72b891a7c3f6dc59e82b684ce207d08304897",
        "35cf2bba5ed2d7915ab89203c4d669b449471646d268a359ecdaad664386c971",
        "4afdb59f643f6e9bc0106fbafe3d670370874995faedb929df27616960051ac5",
        "7ed2f4b59f962784dd18cc2c21aa51143aff858ab23921ec1b00f826f80f9d82",
        "6b27657e0267ab8c67a6c7980d1a076c7d1fabfb18bf084a803a247ecf0ae8ea",
        "a5075d361572871be7ecbf182ad2bcaf587e917e0fba99d9a440c698671cbc46",
        "c5783fa4e6a931aacf5e424c65b41806a296c46af89c52047d645d06516aa975",
        "31ed42b2680b4f6a07adccae5e37cb3dac6a1aef7bf3944e66b01f9c91254eeb",
        "5ffbdf6a0f2d9cde0bb0c14a43797b373766f74a8920647a31a23bc18ed05155",
        "64973a8cde0e414d70d7779fe968d09c697a0c1f88fc16de7a71a74e96593886",
    ];

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn released_migrations_are_unchanged() {
        assert_eq!(
            MIGRATIONS.len(),
            RELEASED.len(),
            "a migration was added without its digest, or removed"
        );
        for (i, (sql, pinned)) in MIGRATIONS.iter().zip(RELEASED).enumerate() {
            assert_eq!(
                hex(&Sha256::digest(sql.as_bytes())),
                *pinned,
                "migration {} changed after it was released: add a new one instead",
                i + 1
            );
        }
    }

    /// The folder holds `0001_…sql` up to the last migration with no gap
    /// and nothing else, each file the one `MIGRATIONS` reads at its place.
    #[test]
    fn migration_files_are_numbered_from_one_without_gaps() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/hub/migrations");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("src/hub/migrations")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        assert_eq!(names.len(), MIGRATIONS.len(), "files: {names:?}");
        for (i, name) in names.iter().enumerate() {
            let (number, rest) = name.split_at(4.min(name.len()));
            assert_eq!(number, format!("{:04}", i + 1), "{name} is out of place");
            let short = rest
                .strip_prefix('_')
                .and_then(|r| r.strip_suffix(".sql"))
                .unwrap_or_default();
            assert!(
                !short.is_empty()
                    && short
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{name} is not NNNN_short_name.sql"
            );
            let text = std::fs::read_to_string(dir.join(name)).expect("a migration file");
            assert_eq!(text, MIGRATIONS[i], "MIGRATIONS[{i}] is not {name}");
        }
    }
}
