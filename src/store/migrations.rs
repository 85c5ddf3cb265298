//! The schema, as an ordered list of migrations. `PRAGMA user_version`
//! holds how many have been applied; a new version appends, never edits.

pub const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE attendees (
        badge_id   TEXT PRIMARY KEY,
        first_name TEXT NOT NULL,
        last_name  TEXT NOT NULL,
        degree     TEXT NOT NULL,
        profession TEXT NOT NULL,
        email      TEXT NOT NULL,
        source     TEXT NOT NULL DEFAULT 'roster',
        updated_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        session_id   TEXT PRIMARY KEY,
        title        TEXT NOT NULL,
        starts_at    TEXT NOT NULL,
        ends_at      TEXT NOT NULL,
        credits_q    INTEGER NOT NULL CHECK (credits_q >= 0),
        credit_types TEXT NOT NULL,
        track        TEXT NOT NULL DEFAULT '',
        room         TEXT NOT NULL DEFAULT '',
        acpe_uan     TEXT NOT NULL DEFAULT '',
        updated_at   TEXT NOT NULL
    );
    -- What an attendee chose at the Credit screen, remembered for later visits.
    CREATE TABLE profiles (
        badge_id    TEXT PRIMARY KEY REFERENCES attendees(badge_id),
        codes       TEXT NOT NULL,
        epid        TEXT,
        birth_mmdd  TEXT,
        pharm_role  TEXT,
        moc_consent INTEGER NOT NULL DEFAULT 0,
        abim_id     TEXT,
        updated_at  TEXT NOT NULL
    );
    -- One committed pass through the kiosk.
    CREATE TABLE visits (
        visit_id     TEXT PRIMARY KEY,
        badge_id     TEXT NOT NULL REFERENCES attendees(badge_id),
        device_id    TEXT NOT NULL,
        kiosk_id     TEXT NOT NULL,
        codes        TEXT NOT NULL,
        committed_at TEXT NOT NULL
    );
    CREATE TABLE claims (
        claim_id    TEXT PRIMARY KEY,
        visit_id    TEXT NOT NULL,
        badge_id    TEXT NOT NULL REFERENCES attendees(badge_id),
        session_id  TEXT NOT NULL REFERENCES sessions(session_id),
        credits_q   INTEGER NOT NULL CHECK (credits_q > 0),
        claimed_at  TEXT NOT NULL,
        device_id   TEXT NOT NULL,
        kiosk_id    TEXT NOT NULL,
        voided_at   TEXT,
        void_reason TEXT
    );
    CREATE INDEX claims_by_badge ON claims(badge_id);
    CREATE TABLE answers (
        badge_id    TEXT NOT NULL REFERENCES attendees(badge_id),
        question_id TEXT NOT NULL,
        answer      TEXT NOT NULL,
        answered_at TEXT NOT NULL,
        visit_id    TEXT NOT NULL,
        PRIMARY KEY (badge_id, question_id)
    );
    CREATE TABLE certificates (
        certificate_id TEXT PRIMARY KEY,
        short_code     TEXT NOT NULL UNIQUE,
        badge_id       TEXT NOT NULL REFERENCES attendees(badge_id),
        visit_id       TEXT NOT NULL,
        issued_at      TEXT NOT NULL,
        device_id      TEXT NOT NULL
    );
    CREATE INDEX certificates_by_badge ON certificates(badge_id);
    -- Everything to upload, in the order it happened. AUTOINCREMENT: a
    -- sequence number is never reused, even after rows are purged.
    CREATE TABLE outbox (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        kind        TEXT NOT NULL,
        record_id   TEXT NOT NULL,
        payload     TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        uploaded_at TEXT,
        rejected    TEXT
    );
    CREATE TABLE audit_log (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        at       TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        action   TEXT NOT NULL,
        detail   TEXT NOT NULL
    );
    "#,
    // 2: sync sends the records the hub has not confirmed, found at once.
    r#"
    CREATE INDEX outbox_unconfirmed ON outbox(seq) WHERE uploaded_at IS NULL AND rejected IS NULL;
    "#,
    // 3: what other kiosks' visits put on file at the hub, without the
    // values: the hub sends only the last two digits of an ID on file.
    r#"
    ALTER TABLE profiles ADD COLUMN epid_ending TEXT;
    ALTER TABLE profiles ADD COLUMN abim_ending TEXT;
    ALTER TABLE profiles ADD COLUMN birth_on_file INTEGER NOT NULL DEFAULT 0;
    "#,
    // 4: door scans from the hub's feed, so the Sessions screen can tick
    // the sessions an attendee was scanned into. Hub data, like the
    // roster: never in the outbox. No reference to attendees or sessions:
    // a scan that arrives before its attendee or session still counts
    // once they do. One row per scan: the four fields are its identity.
    r#"
    CREATE TABLE scans (
        badge_id   TEXT NOT NULL,
        session_id TEXT NOT NULL,
        scanned_at TEXT NOT NULL,
        direction  TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (badge_id, session_id, scanned_at, direction)
    ) WITHOUT ROWID;
    "#,
    // 5: the kiosk's own credentials at the hub, from `cekiosk enrol`:
    // kept here (a file of its owner's only), never in a settings file.
    // One row; enrolling again replaces it.
    r#"
    CREATE TABLE credentials (
        one         INTEGER PRIMARY KEY CHECK (one = 1),
        hub_url     TEXT NOT NULL,
        kiosk_id    TEXT NOT NULL,
        key_id      INTEGER NOT NULL,
        token       TEXT NOT NULL,
        summary_key BLOB NOT NULL CHECK (length(summary_key) = 32),
        enrolled_at TEXT NOT NULL
    );
    "#,
    // 6: the few records the hub rejected, found without reading the
    // outbox: a sync counts them and lists those not yet confirmed, and
    // read in full the outbox is every record the kiosk wrote that week.
    r#"
    CREATE INDEX outbox_rejected ON outbox(seq) WHERE rejected IS NOT NULL;
    "#,
];
