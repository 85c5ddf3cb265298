//! The hub's PostgreSQL schema, as ordered migrations applied at start.
//! `hub_schema` holds how many have been applied; a new version appends.

pub const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
    -- Each kiosk database, by its stable device id. high_seq is the highest
    -- outbox sequence the hub holds for it, and only ever rises.
    CREATE TABLE devices (
        device_id  text PRIMARY KEY,
        kiosk_id   text NOT NULL,
        high_seq   bigint NOT NULL DEFAULT 0,
        first_seen timestamptz NOT NULL DEFAULT now(),
        last_seen  timestamptz NOT NULL DEFAULT now()
    );
    -- Every record every kiosk uploaded, exactly once: the system of record.
    CREATE TABLE records (
        device_id   text NOT NULL REFERENCES devices(device_id),
        seq         bigint NOT NULL,
        kind        text NOT NULL,
        record_id   text NOT NULL,
        payload     jsonb NOT NULL,
        created_at  text NOT NULL,           -- the kiosk's own time
        received_at timestamptz NOT NULL DEFAULT now(),
        rejected    text,                    -- why it was not applied, if it was not
        PRIMARY KEY (device_id, seq)
    );
    -- What kiosks download: other kiosks' records and the hub's roster, in
    -- the order the hub took them. hub_seq is the download cursor.
    CREATE TABLE changes (
        hub_seq bigserial PRIMARY KEY,
        origin  text NOT NULL,               -- a device id, or 'hub'
        kind    text NOT NULL,
        payload jsonb NOT NULL
    );
    CREATE TABLE attendees (
        badge_id   text PRIMARY KEY,
        first_name text NOT NULL,
        last_name  text NOT NULL,
        degree     text NOT NULL,
        profession text NOT NULL,
        email      text NOT NULL,
        source     text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE sessions (
        session_id   text PRIMARY KEY,
        title        text NOT NULL,
        starts_at    text NOT NULL,
        ends_at      text NOT NULL,
        credits_q    integer NOT NULL,
        credit_types text NOT NULL,
        track        text NOT NULL,
        room         text NOT NULL,
        acpe_uan     text NOT NULL
    );
    CREATE TABLE claims (
        claim_id     text PRIMARY KEY,
        hub_order    bigserial,
        device_id    text NOT NULL,
        kiosk_id     text NOT NULL,
        visit_id     text NOT NULL,
        badge_id     text NOT NULL,
        session_id   text NOT NULL,
        credits_q    integer NOT NULL,
        claimed_at   text NOT NULL,
        received_at  timestamptz NOT NULL DEFAULT now(),
        voided_at    text,
        void_reason  text,
        -- The same attendee and session claimed again (at another kiosk):
        -- kept and flagged, counted once.
        duplicate_of text
    );
    CREATE INDEX claims_by_badge ON claims(badge_id);
    CREATE TABLE certificates (
        certificate_id text PRIMARY KEY,
        short_code     text NOT NULL,
        badge_id       text NOT NULL,
        issued_at      text NOT NULL,
        kiosk_id       text NOT NULL,
        device_id      text NOT NULL,
        received_at    timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX certificates_by_badge ON certificates(badge_id);
    CREATE TABLE profiles (
        badge_id    text PRIMARY KEY,
        codes       text NOT NULL,
        epid        text,
        birth_mmdd  text,
        pharm_role  text,
        moc_consent boolean NOT NULL,
        abim_id     text,
        updated_at  text NOT NULL
    );
    CREATE TABLE answers (
        badge_id    text NOT NULL,
        question_id text NOT NULL,
        answer      text NOT NULL,
        answered_at text NOT NULL,
        PRIMARY KEY (badge_id, question_id)
    );
    CREATE TABLE audit (
        device_id text NOT NULL,
        seq       bigint NOT NULL,
        at        text NOT NULL,
        kiosk_id  text NOT NULL,
        action    text NOT NULL,
        detail    text NOT NULL,
        PRIMARY KEY (device_id, seq)
    );
    "#,
    // 2: duplicate claims are found by (badge, session); the key to
    // devices is dropped, as ingest inserts the device first in the same
    // transaction and its check cost a lookup per record.
    r#"
    CREATE INDEX claims_by_badge_session ON claims(badge_id, session_id);
    DROP INDEX claims_by_badge;
    ALTER TABLE records DROP CONSTRAINT records_device_id_fkey;
    "#,
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
    r#"
    DROP TABLE claims, certificates, profiles, answers, audit;
    DELETE FROM changes WHERE origin <> 'hub';
    ALTER TABLE records ADD COLUMN txid xid8 NOT NULL DEFAULT '2';
    ALTER TABLE records ADD COLUMN badge_id text;
    ALTER TABLE records ALTER COLUMN payload TYPE json USING payload::text::json;
    UPDATE records r SET txid = d.n::text::xid8, badge_id = r.payload->>'badge_id'
      FROM (SELECT device_id, row_number() OVER (ORDER BY device_id) + 2 AS n FROM devices) d
      WHERE d.device_id = r.device_id;
    ALTER TABLE records ALTER COLUMN txid SET DEFAULT pg_current_xact_id();
    ALTER TABLE changes ADD COLUMN txid xid8 NOT NULL DEFAULT '1';
    ALTER TABLE changes ALTER COLUMN txid SET DEFAULT pg_current_xact_id();
    ALTER TABLE changes ALTER COLUMN payload TYPE json USING payload::text::json;
    CREATE INDEX records_feed ON records(txid, seq);
    -- Looked up by equality only, and a hash index costs an upload less to
    -- keep than a B-tree over random badge numbers.
    CREATE INDEX records_by_badge ON records USING hash (badge_id);
    -- A certificate record's record_id is its certificate id (checked).
    CREATE INDEX records_certificates ON records(record_id) WHERE kind = 'certificate';
    CREATE INDEX changes_feed ON changes(txid, hub_seq);
    CREATE INDEX records_rejected ON records(device_id, seq) WHERE rejected IS NOT NULL;

    -- Every claim the hub accepted. A claim voided (by a void record for
    -- the same attendee) shows when and why; of the claims left for the
    -- same attendee and session (made at two kiosks), the earliest by the
    -- kiosks' own clocks counts and the others name it in duplicate_of.
    CREATE VIEW claims AS
    WITH c AS (
        SELECT p.claim_id, r.device_id, r.seq, r.txid, r.badge_id, p.kiosk_id,
               coalesce(p.visit_id, '') AS visit_id, p.session_id, p.credits_q, p.claimed_at,
               r.received_at
        FROM records r,
             json_to_record(r.payload) AS p(claim_id text, kiosk_id text, visit_id text,
                                            session_id text, credits_q integer, claimed_at text)
        WHERE r.kind = 'claim' AND r.rejected IS NULL
    ), v AS (
        SELECT DISTINCT ON (r.badge_id, p.claim_id)
               r.badge_id, p.claim_id, p.voided_at, p.reason AS void_reason
        FROM records r, json_to_record(r.payload) AS p(claim_id text, voided_at text, reason text)
        WHERE r.kind = 'void' AND r.rejected IS NULL
        ORDER BY r.badge_id, p.claim_id, p.voided_at, r.device_id, r.seq
    )
    SELECT c.claim_id, c.device_id, c.seq, c.txid, c.kiosk_id, c.visit_id, c.badge_id, c.session_id,
           c.credits_q, c.claimed_at, c.received_at, v.voided_at, v.void_reason,
           CASE WHEN v.voided_at IS NULL
                THEN nullif(first_value(c.claim_id) OVER w, c.claim_id) END AS duplicate_of
    FROM c LEFT JOIN v ON v.badge_id = c.badge_id AND v.claim_id = c.claim_id
    WINDOW w AS (PARTITION BY c.badge_id, c.session_id, v.voided_at IS NULL
                 ORDER BY c.claimed_at, c.device_id, c.seq);

    CREATE VIEW certificates AS
    SELECT r.record_id AS certificate_id, coalesce(p.short_code, '') AS short_code, r.badge_id,
           p.issued_at, p.kiosk_id, r.device_id, r.received_at
    FROM records r, json_to_record(r.payload) AS p(short_code text, issued_at text, kiosk_id text)
    WHERE r.kind = 'certificate' AND r.rejected IS NULL;

    -- The newest profile choice wins, whichever kiosk made it.
    CREATE VIEW profiles AS
    SELECT DISTINCT ON (r.badge_id) r.badge_id, coalesce(p.codes, '') AS codes, p.epid,
           p.birth_mmdd, p.pharm_role, coalesce(p.moc_consent::text = 'true', false) AS moc_consent,
           p.abim_id, p.at AS updated_at
    FROM records r,
         json_to_record(r.payload) AS p(codes text, epid text, birth_mmdd text, pharm_role text,
                                        moc_consent json, abim_id text, at text)
    WHERE r.kind = 'profile' AND r.rejected IS NULL
    ORDER BY r.badge_id, p.at DESC, r.device_id, r.seq DESC;

    -- The newest answer to each question wins.
    CREATE VIEW answers AS
    SELECT DISTINCT ON (r.badge_id, a.key) r.badge_id, a.key AS question_id, a.value AS answer,
           p.at AS answered_at
    FROM records r,
         json_to_record(r.payload) AS p(answers json, at text),
         json_each_text(CASE WHEN json_typeof(p.answers) = 'object' THEN p.answers END) a
    WHERE r.kind = 'evaluation' AND r.rejected IS NULL
    ORDER BY r.badge_id, a.key, p.at DESC, r.device_id, r.seq DESC;

    CREATE VIEW audit AS
    SELECT r.device_id, r.seq, p.at, coalesce(p.kiosk_id, d.kiosk_id) AS kiosk_id, p.action,
           coalesce(p.detail, '') AS detail
    FROM records r JOIN devices d ON d.device_id = r.device_id,
         json_to_record(r.payload) AS p(at text, kiosk_id text, action text, detail text)
    WHERE r.kind = 'audit' AND r.rejected IS NULL;
    "#,
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
    // (`hub::db::DUPLICATE_RULE`). A different record at a sequence the hub
    // already holds for a device (a kiosk restored from a backup, or cloned)
    // is kept in conflicts for the office.
    r#"
    -- Views read claimed_at as a time: a claim stored before the hub
    -- checked its form is rejected now, with the reason, if it is not one.
    CREATE FUNCTION pg_temp.is_time(t text) RETURNS boolean LANGUAGE plpgsql AS $$
    BEGIN PERFORM t::timestamptz; RETURN true; EXCEPTION WHEN others THEN RETURN false; END $$;
    UPDATE records SET rejected = 'claimed_at is not a time'
     WHERE kind = 'claim' AND rejected IS NULL AND NOT pg_temp.is_time(payload->>'claimed_at');
    ALTER TABLE sessions ADD COLUMN starts_utc timestamptz, ADD COLUMN ends_utc timestamptz;
    ALTER TABLE sessions ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
    CREATE TABLE conflicts (
        device_id   text NOT NULL,
        seq         bigint NOT NULL,
        kind        text NOT NULL,
        record_id   text NOT NULL,
        payload     json NOT NULL,
        created_at  text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (device_id, seq, record_id)
    );
    DROP VIEW claims;
    CREATE VIEW claims AS
    WITH c AS (
        SELECT p.claim_id, r.device_id, r.seq, r.txid, r.badge_id, p.kiosk_id,
               coalesce(p.visit_id, '') AS visit_id, p.session_id, p.credits_q, p.claimed_at,
               r.received_at,
               CASE
                 WHEN s.session_id IS NULL
                   THEN 'session ' || p.session_id || ' is not in the hub''s catalog'
                 WHEN a.badge_id IS NULL
                   THEN 'attendee ' || r.badge_id || ' is not on the hub''s roster'
                 WHEN p.credits_q > s.credits_q
                   THEN 'claims ' || trim_scale(p.credits_q / 4.0) || ' of session ' || p.session_id
                        || ', now designated ' || trim_scale(s.credits_q / 4.0)
                 WHEN s.ends_utc > least(p.claimed_at::timestamptz, r.received_at)
                   THEN 'session ' || p.session_id || ' had not ended when it was claimed ('
                        || p.claimed_at || ')'
               END AS held
        FROM records r
        CROSS JOIN LATERAL json_to_record(r.payload) AS p(claim_id text, kiosk_id text, visit_id text,
                                            session_id text, credits_q integer, claimed_at text)
        LEFT JOIN sessions s ON s.session_id = p.session_id
        LEFT JOIN attendees a ON a.badge_id = r.badge_id
        WHERE r.kind = 'claim' AND r.rejected IS NULL
    ), v AS (
        SELECT DISTINCT ON (r.badge_id, p.claim_id)
               r.badge_id, p.claim_id, p.voided_at, p.reason AS void_reason
        FROM records r, json_to_record(r.payload) AS p(claim_id text, voided_at text, reason text)
        WHERE r.kind = 'void' AND r.rejected IS NULL
        ORDER BY r.badge_id, p.claim_id, p.voided_at, r.device_id, r.seq
    )
    SELECT c.claim_id, c.device_id, c.seq, c.txid, c.kiosk_id, c.visit_id, c.badge_id, c.session_id,
           c.credits_q, c.claimed_at, c.received_at, v.voided_at, v.void_reason,
           CASE WHEN v.voided_at IS NULL AND c.held IS NULL
                THEN nullif(first_value(c.claim_id) OVER w, c.claim_id) END AS duplicate_of,
           CASE WHEN v.voided_at IS NULL THEN c.held END AS held
    FROM c LEFT JOIN v ON v.badge_id = c.badge_id AND v.claim_id = c.claim_id
    WINDOW w AS (PARTITION BY c.badge_id, c.session_id, v.voided_at IS NULL AND c.held IS NULL
                 ORDER BY c.claimed_at, c.device_id, c.seq);

    -- The newest choice wins, whichever kiosk made it; an ID a kiosk left
    -- as it was on file (it sends none: kiosks never receive the values)
    -- keeps the newest value given.
    DROP VIEW profiles;
    CREATE VIEW profiles AS
    WITH p AS (
        SELECT r.badge_id, r.device_id, r.seq, x.codes, x.epid, x.birth_mmdd, x.pharm_role,
               coalesce(x.moc_consent::text = 'true', false) AS moc_consent, x.abim_id, x.at
        FROM records r,
             json_to_record(r.payload) AS x(codes text, epid text, birth_mmdd text, pharm_role text,
                                            moc_consent json, abim_id text, at text)
        WHERE r.kind = 'profile' AND r.rejected IS NULL
    )
    SELECT badge_id,
           (array_agg(coalesce(codes, '') ORDER BY at DESC, device_id, seq DESC))[1] AS codes,
           (array_agg(epid ORDER BY at DESC, device_id, seq DESC) FILTER (WHERE epid IS NOT NULL))[1] AS epid,
           (array_agg(birth_mmdd ORDER BY at DESC, device_id, seq DESC)
              FILTER (WHERE birth_mmdd IS NOT NULL))[1] AS birth_mmdd,
           (array_agg(pharm_role ORDER BY at DESC, device_id, seq DESC))[1] AS pharm_role,
           (array_agg(moc_consent ORDER BY at DESC, device_id, seq DESC))[1] AS moc_consent,
           (array_agg(abim_id ORDER BY at DESC, device_id, seq DESC) FILTER (WHERE abim_id IS NOT NULL))[1] AS abim_id,
           max(at) AS updated_at
    FROM p GROUP BY badge_id;
    "#,
    // 5: every view reads a record kind's whole payload, as the struct in
    // `crate::records` that kiosks write it from: one list of fields per
    // kind, in the struct and in the view, that a test holds together
    // (`view_columns_are_the_record_fields`). Each `json_to_record` is
    // named after its kind. True/false fields are read as json and
    // compared, so a record stored before the hub checked their type
    // cannot stop a view. What the views compute is as in migration 4.
    r#"
    DROP VIEW claims, certificates, profiles, answers, audit;

    CREATE VIEW claims AS
    WITH c AS (
        SELECT claim.claim_id, r.device_id, r.seq, r.txid, r.badge_id, claim.kiosk_id,
               coalesce(claim.visit_id, '') AS visit_id, claim.session_id, claim.credits_q,
               claim.claimed_at, r.received_at,
               CASE
                 WHEN s.session_id IS NULL
                   THEN 'session ' || claim.session_id || ' is not in the hub''s catalog'
                 WHEN a.badge_id IS NULL
                   THEN 'attendee ' || r.badge_id || ' is not on the hub''s roster'
                 WHEN claim.credits_q > s.credits_q
                   THEN 'claims ' || trim_scale(claim.credits_q / 4.0) || ' of session ' || claim.session_id
                        || ', now designated ' || trim_scale(s.credits_q / 4.0)
                 WHEN s.ends_utc > least(claim.claimed_at::timestamptz, r.received_at)
                   THEN 'session ' || claim.session_id || ' had not ended when it was claimed ('
                        || claim.claimed_at || ')'
               END AS held
        FROM records r
        CROSS JOIN LATERAL json_to_record(r.payload)
             AS claim(badge_id text, claim_id text, claimed_at text, credits_q integer, kiosk_id text,
                      session_id text, visit_id text)
        LEFT JOIN sessions s ON s.session_id = claim.session_id
        LEFT JOIN attendees a ON a.badge_id = r.badge_id
        WHERE r.kind = 'claim' AND r.rejected IS NULL
    ), v AS (
        SELECT DISTINCT ON (r.badge_id, void.claim_id)
               r.badge_id, void.claim_id, void.voided_at, void.reason AS void_reason
        FROM records r,
             json_to_record(r.payload)
             AS void(badge_id text, claim_id text, kiosk_id text, reason text, session_id text,
                     voided_at text)
        WHERE r.kind = 'void' AND r.rejected IS NULL
        ORDER BY r.badge_id, void.claim_id, void.voided_at, r.device_id, r.seq
    )
    SELECT c.claim_id, c.device_id, c.seq, c.txid, c.kiosk_id, c.visit_id, c.badge_id, c.session_id,
           c.credits_q, c.claimed_at, c.received_at, v.voided_at, v.void_reason,
           CASE WHEN v.voided_at IS NULL AND c.held IS NULL
                THEN nullif(first_value(c.claim_id) OVER w, c.claim_id) END AS duplicate_of,
           CASE WHEN v.voided_at IS NULL THEN c.held END AS held
    FROM c LEFT JOIN v ON v.badge_id = c.badge_id AND v.claim_id = c.claim_id
    WINDOW w AS (PARTITION BY c.badge_id, c.session_id, v.voided_at IS NULL AND c.held IS NULL
                 ORDER BY c.claimed_at, c.device_id, c.seq);

    CREATE VIEW certificates AS
    SELECT r.record_id AS certificate_id, coalesce(certificate.short_code, '') AS short_code, r.badge_id,
           certificate.issued_at, certificate.kiosk_id, r.device_id, r.received_at
    FROM records r,
         json_to_record(r.payload)
         AS certificate(badge_id text, certificate_id text, codes text, issued_at text, kiosk_id text,
                        short_code text, visit_id text)
    WHERE r.kind = 'certificate' AND r.rejected IS NULL;

    -- The newest choice wins, whichever kiosk made it; an ID a kiosk left
    -- as it was on file (it sends none: kiosks never receive the values)
    -- keeps the newest value given.
    CREATE VIEW profiles AS
    WITH p AS (
        SELECT r.badge_id, r.device_id, r.seq, profile.codes, profile.epid, profile.birth_mmdd,
               profile.pharm_role, coalesce(profile.moc_consent::text = 'true', false) AS moc_consent,
               profile.abim_id, profile.at
        FROM records r,
             json_to_record(r.payload)
             AS profile(abim_ending text, abim_id text, at text, badge_id text, birth_mmdd text,
                        birth_on_file json, codes text, epid text, epid_ending text, moc_consent json,
                        pharm_role text)
        WHERE r.kind = 'profile' AND r.rejected IS NULL
    )
    SELECT badge_id,
           (array_agg(coalesce(codes, '') ORDER BY at DESC, device_id, seq DESC))[1] AS codes,
           (array_agg(epid ORDER BY at DESC, device_id, seq DESC) FILTER (WHERE epid IS NOT NULL))[1] AS epid,
           (array_agg(birth_mmdd ORDER BY at DESC, device_id, seq DESC)
              FILTER (WHERE birth_mmdd IS NOT NULL))[1] AS birth_mmdd,
           (array_agg(pharm_role ORDER BY at DESC, device_id, seq DESC))[1] AS pharm_role,
           (array_agg(moc_consent ORDER BY at DESC, device_id, seq DESC))[1] AS moc_consent,
           (array_agg(abim_id ORDER BY at DESC, device_id, seq DESC) FILTER (WHERE abim_id IS NOT NULL))[1] AS abim_id,
           max(at) AS updated_at
    FROM p GROUP BY badge_id;

    -- The newest answer to each question wins.
    CREATE VIEW answers AS
    SELECT DISTINCT ON (r.badge_id, a.key) r.badge_id, a.key AS question_id, a.value AS answer,
           evaluation.at AS answered_at
    FROM records r,
         json_to_record(r.payload) AS evaluation(answers json, at text, badge_id text, visit_id text),
         json_each_text(CASE WHEN json_typeof(evaluation.answers) = 'object' THEN evaluation.answers END) a
    WHERE r.kind = 'evaluation' AND r.rejected IS NULL
    ORDER BY r.badge_id, a.key, evaluation.at DESC, r.device_id, r.seq DESC;

    CREATE VIEW audit AS
    SELECT r.device_id, r.seq, audit.at, coalesce(audit.kiosk_id, d.kiosk_id) AS kiosk_id, audit.action,
           coalesce(audit.detail, '') AS detail
    FROM records r JOIN devices d ON d.device_id = r.device_id,
         json_to_record(r.payload) AS audit(action text, at text, detail text, kiosk_id text)
    WHERE r.kind = 'audit' AND r.rejected IS NULL;
    "#,
    // 6: whether a claim is void or held does not depend on the other
    // claims, only which of an attendee's claims for a session counts does.
    // `claim_state` is the first (one claim at a time, so a question about
    // one device's or one attendee's claims reads only theirs, through the
    // indexes); `claims` adds the duplicate rule's window over it. A kiosk's
    // sync asks for its device's held claims every time: over the whole
    // window that read every claim at the hub (350 ms at 64,000 records).
    r#"
    DROP VIEW claims;
    CREATE INDEX records_voids ON records(badge_id) WHERE kind = 'void' AND rejected IS NULL;

    CREATE VIEW claim_state AS
    WITH c AS (
        SELECT claim.claim_id, r.device_id, r.seq, r.txid, r.badge_id, claim.kiosk_id,
               coalesce(claim.visit_id, '') AS visit_id, claim.session_id, claim.credits_q,
               claim.claimed_at, r.received_at,
               CASE
                 WHEN s.session_id IS NULL
                   THEN 'session ' || claim.session_id || ' is not in the hub''s catalog'
                 WHEN a.badge_id IS NULL
                   THEN 'attendee ' || r.badge_id || ' is not on the hub''s roster'
                 WHEN claim.credits_q > s.credits_q
                   THEN 'claims ' || trim_scale(claim.credits_q / 4.0) || ' of session ' || claim.session_id
                        || ', now designated ' || trim_scale(s.credits_q / 4.0)
                 WHEN s.ends_utc > least(claim.claimed_at::timestamptz, r.received_at)
                   THEN 'session ' || claim.session_id || ' had not ended when it was claimed ('
                        || claim.claimed_at || ')'
               END AS held
        FROM records r
        CROSS JOIN LATERAL json_to_record(r.payload)
             AS claim(badge_id text, claim_id text, claimed_at text, credits_q integer, kiosk_id text,
                      session_id text, visit_id text)
        LEFT JOIN sessions s ON s.session_id = claim.session_id
        LEFT JOIN attendees a ON a.badge_id = r.badge_id
        WHERE r.kind = 'claim' AND r.rejected IS NULL
    )
    SELECT c.claim_id, c.device_id, c.seq, c.txid, c.kiosk_id, c.visit_id, c.badge_id, c.session_id,
           c.credits_q, c.claimed_at, c.received_at, v.voided_at, v.void_reason,
           CASE WHEN v.voided_at IS NULL THEN c.held END AS held
    FROM c
    LEFT JOIN (
        SELECT DISTINCT ON (r.badge_id, void.claim_id)
               r.badge_id, void.claim_id, void.voided_at, void.reason AS void_reason
        FROM records r,
             json_to_record(r.payload)
             AS void(badge_id text, claim_id text, kiosk_id text, reason text, session_id text,
                     voided_at text)
        WHERE r.kind = 'void' AND r.rejected IS NULL
        ORDER BY r.badge_id, void.claim_id, void.voided_at, r.device_id, r.seq
    ) v ON v.badge_id = c.badge_id AND v.claim_id = c.claim_id;

    CREATE VIEW claims AS
    SELECT c.claim_id, c.device_id, c.seq, c.txid, c.kiosk_id, c.visit_id, c.badge_id, c.session_id,
           c.credits_q, c.claimed_at, c.received_at, c.voided_at, c.void_reason,
           CASE WHEN c.voided_at IS NULL AND c.held IS NULL
                THEN nullif(first_value(c.claim_id) OVER w, c.claim_id) END AS duplicate_of,
           c.held
    FROM claim_state c
    WINDOW w AS (PARTITION BY c.badge_id, c.session_id, c.voided_at IS NULL AND c.held IS NULL
                 ORDER BY c.claimed_at, c.device_id, c.seq);
    "#,
    // 7: the hub's Ed25519 key, made once and shared by every hub process,
    // which signs the certificates' Open Badges credentials. One row.
    r#"
    CREATE TABLE signing_key (
        singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        pkcs8      bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
    );
    "#,
    // 8: door scans, loaded with `cekiosk hub import scans` and sent to
    // kiosks on the feed (kind `scan`). A scan is its four fields: the
    // same badge, session, minute and direction imported again is the
    // same scan, so a file imported twice adds nothing. Kept as imported
    // (append-only); a claim for a session whose door was scanned is
    // flagged when its attendee has no scan there (`hub::db::WITHOUT_SCAN`).
    // No foreign keys: the import checks every badge and session against
    // the roster and catalog first (the hub never deletes either), and a
    // key check per row made importing 228,000 scans three times slower.
    r#"
    CREATE TABLE scans (
        badge_id    text NOT NULL,
        session_id  text NOT NULL,
        scanned_at  text NOT NULL,            -- event-local YYYY-MM-DDTHH:MM
        direction   text NOT NULL DEFAULT '', -- in, out, or '' when not recorded
        imported_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (badge_id, session_id, scanned_at, direction)
    );
    -- Whether a session's door was scanned at all.
    CREATE INDEX scans_by_session ON scans(session_id);
    "#,
    // 9: the CE office's web pages. Accounts (an Argon2id hash, the wrong
    // passwords in a row and the lock they lead to, as `domain::pin`'s
    // rule); signed-in sessions, kept by the SHA-256 of their cookie so a
    // copy of the database opens none, each with its form token and a
    // sliding end; an audit of what each account did (its name is kept,
    // not a key, so removing an account keeps its history). Devices keep
    // what the kiosk last said of itself (program version, its clock
    // against the hub's, what it had not uploaded, how its last sync
    // went, its upload interval) and what the hub made of its last page.
    r#"
    CREATE TABLE admin_users (
        name          text PRIMARY KEY,
        password_hash text NOT NULL,
        failures      integer NOT NULL DEFAULT 0,
        locked_until  timestamptz,
        created_at    timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE admin_sessions (
        token_hash bytea PRIMARY KEY,
        user_name  text NOT NULL REFERENCES admin_users(name) ON DELETE CASCADE,
        csrf       text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
    );
    CREATE TABLE admin_audit (
        id      bigserial PRIMARY KEY,
        at      timestamptz NOT NULL DEFAULT now(),
        account text NOT NULL,
        action  text NOT NULL,
        detail  text NOT NULL DEFAULT ''
    );
    ALTER TABLE devices
        ADD COLUMN version            text,
        ADD COLUMN reported_at        timestamptz,
        ADD COLUMN clock_offset_ms    bigint,
        ADD COLUMN not_uploaded       bigint,
        ADD COLUMN kiosk_result       text,
        ADD COLUMN interval_seconds   integer,
        ADD COLUMN last_upload_at     timestamptz,
        ADD COLUMN last_upload_result text;
    "#,
    // 10: a certificate carries the language the attendee used at the
    // kiosk, so its page opens in it.
    r#"
    CREATE OR REPLACE VIEW certificates AS
    SELECT r.record_id AS certificate_id, coalesce(certificate.short_code, '') AS short_code, r.badge_id,
           certificate.issued_at, certificate.kiosk_id, r.device_id, r.received_at, certificate.language
    FROM records r,
         json_to_record(r.payload)
         AS certificate(badge_id text, certificate_id text, codes text, issued_at text, kiosk_id text,
                        language text, short_code text, visit_id text)
    WHERE r.kind = 'certificate' AND r.rejected IS NULL;
    "#,
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
    r#"
    CREATE TABLE claim_rows (
        device_id   text NOT NULL,
        seq         bigint NOT NULL,
        txid        xid8 NOT NULL,
        received_at timestamptz NOT NULL,
        badge_id    text,
        claim_id    text,
        kiosk_id    text,
        visit_id    text NOT NULL,
        session_id  text,
        credits_q   integer,
        claimed_at  text,
        claimed_utc timestamptz,
        PRIMARY KEY (device_id, seq)
    );
    CREATE INDEX claim_rows_by_badge ON claim_rows(badge_id, session_id);
    CREATE TABLE void_rows (
        device_id text NOT NULL,
        seq       bigint NOT NULL,
        badge_id  text,
        claim_id  text,
        voided_at text,
        reason    text,
        PRIMARY KEY (device_id, seq)
    );
    CREATE INDEX void_rows_by_claim ON void_rows(badge_id, claim_id);
    CREATE TABLE certificate_rows (
        device_id      text NOT NULL,
        seq            bigint NOT NULL,
        received_at    timestamptz NOT NULL,
        certificate_id text NOT NULL,
        badge_id       text,
        short_code     text NOT NULL,
        issued_at      text,
        kiosk_id       text,
        language       text,
        PRIMARY KEY (device_id, seq)
    );
    CREATE INDEX certificate_rows_by_id ON certificate_rows(certificate_id);
    CREATE INDEX certificate_rows_by_badge ON certificate_rows(badge_id);
    CREATE TABLE profile_rows (
        device_id   text NOT NULL,
        seq         bigint NOT NULL,
        badge_id    text,
        codes       text,
        epid        text,
        birth_mmdd  text,
        pharm_role  text,
        moc_consent boolean NOT NULL,
        abim_id     text,
        at          text,
        PRIMARY KEY (device_id, seq)
    );
    CREATE INDEX profile_rows_by_badge ON profile_rows(badge_id);
    CREATE TABLE answer_rows (
        device_id   text NOT NULL,
        seq         bigint NOT NULL,
        badge_id    text,
        question_id text NOT NULL,
        answer      text,
        answered_at text,
        PRIMARY KEY (device_id, seq, question_id)
    );
    CREATE INDEX answer_rows_by_badge ON answer_rows(badge_id);

    CREATE FUNCTION records_typed() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM claim_rows t USING old_rows o WHERE t.device_id = o.device_id AND t.seq = o.seq;
        DELETE FROM void_rows t USING old_rows o WHERE t.device_id = o.device_id AND t.seq = o.seq;
        DELETE FROM certificate_rows t USING old_rows o WHERE t.device_id = o.device_id AND t.seq = o.seq;
        DELETE FROM profile_rows t USING old_rows o WHERE t.device_id = o.device_id AND t.seq = o.seq;
        DELETE FROM answer_rows t USING old_rows o WHERE t.device_id = o.device_id AND t.seq = o.seq;
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO claim_rows
        SELECT r.device_id, r.seq, r.txid, r.received_at, r.badge_id, claim.claim_id, claim.kiosk_id,
               coalesce(claim.visit_id, ''), claim.session_id, claim.credits_q, claim.claimed_at,
               claim.claimed_at::timestamptz
        FROM new_rows r,
             json_to_record(r.payload)
             AS claim(badge_id text, claim_id text, claimed_at text, credits_q integer, kiosk_id text,
                      session_id text, visit_id text)
        WHERE r.kind = 'claim' AND r.rejected IS NULL;

        INSERT INTO void_rows
        SELECT r.device_id, r.seq, r.badge_id, void.claim_id, void.voided_at, void.reason
        FROM new_rows r,
             json_to_record(r.payload)
             AS void(badge_id text, claim_id text, kiosk_id text, reason text, session_id text,
                     voided_at text)
        WHERE r.kind = 'void' AND r.rejected IS NULL;

        INSERT INTO certificate_rows
        SELECT r.device_id, r.seq, r.received_at, r.record_id, r.badge_id,
               coalesce(certificate.short_code, ''), certificate.issued_at, certificate.kiosk_id,
               certificate.language
        FROM new_rows r,
             json_to_record(r.payload)
             AS certificate(badge_id text, certificate_id text, codes text, issued_at text, kiosk_id text,
                            language text, short_code text, visit_id text)
        WHERE r.kind = 'certificate' AND r.rejected IS NULL;

        INSERT INTO profile_rows
        SELECT r.device_id, r.seq, r.badge_id, profile.codes, profile.epid, profile.birth_mmdd,
               profile.pharm_role, coalesce(profile.moc_consent::text = 'true', false), profile.abim_id,
               profile.at
        FROM new_rows r,
             json_to_record(r.payload)
             AS profile(abim_ending text, abim_id text, at text, badge_id text, birth_mmdd text,
                        birth_on_file json, codes text, epid text, epid_ending text, moc_consent json,
                        pharm_role text)
        WHERE r.kind = 'profile' AND r.rejected IS NULL;

        INSERT INTO answer_rows
        SELECT DISTINCT ON (r.device_id, r.seq, a.key)
               r.device_id, r.seq, r.badge_id, a.key, a.value, evaluation.at
        FROM new_rows r,
             json_to_record(r.payload) AS evaluation(answers json, at text, badge_id text, visit_id text),
             json_each_text(CASE WHEN json_typeof(evaluation.answers) = 'object' THEN evaluation.answers END) a
        WHERE r.kind = 'evaluation' AND r.rejected IS NULL;
      END IF;
      RETURN NULL;
    END $fn$;
    CREATE TRIGGER records_typed_insert AFTER INSERT ON records
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION records_typed();
    CREATE TRIGGER records_typed_update AFTER UPDATE ON records
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION records_typed();
    CREATE TRIGGER records_typed_delete AFTER DELETE ON records
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION records_typed();
    -- The records held before this migration, through the update trigger.
    UPDATE records SET rejected = rejected
     WHERE kind IN ('claim', 'void', 'certificate', 'profile', 'evaluation');

    CREATE OR REPLACE VIEW claim_state AS
    WITH c AS (
        SELECT c.claim_id, c.device_id, c.seq, c.txid, c.badge_id, c.kiosk_id, c.visit_id, c.session_id,
               c.credits_q, c.claimed_at, c.received_at,
               CASE
                 WHEN s.session_id IS NULL
                   THEN 'session ' || c.session_id || ' is not in the hub''s catalog'
                 WHEN a.badge_id IS NULL
                   THEN 'attendee ' || c.badge_id || ' is not on the hub''s roster'
                 WHEN c.credits_q > s.credits_q
                   THEN 'claims ' || trim_scale(c.credits_q / 4.0) || ' of session ' || c.session_id
                        || ', now designated ' || trim_scale(s.credits_q / 4.0)
                 WHEN s.ends_utc > least(c.claimed_utc, c.received_at)
                   THEN 'session ' || c.session_id || ' had not ended when it was claimed ('
                        || c.claimed_at || ')'
               END AS held
        FROM claim_rows c
        LEFT JOIN sessions s ON s.session_id = c.session_id
        LEFT JOIN attendees a ON a.badge_id = c.badge_id
    )
    SELECT c.claim_id, c.device_id, c.seq, c.txid, c.kiosk_id, c.visit_id, c.badge_id, c.session_id,
           c.credits_q, c.claimed_at, c.received_at, v.voided_at, v.void_reason,
           CASE WHEN v.voided_at IS NULL THEN c.held END AS held
    FROM c
    LEFT JOIN (
        SELECT DISTINCT ON (badge_id, claim_id) badge_id, claim_id, voided_at, reason AS void_reason
        FROM void_rows
        ORDER BY badge_id, claim_id, voided_at, device_id, seq
    ) v ON v.badge_id = c.badge_id AND v.claim_id = c.claim_id;

    CREATE OR REPLACE VIEW certificates AS
    SELECT certificate_id, short_code, badge_id, issued_at, kiosk_id, device_id, received_at, language
    FROM certificate_rows;

    CREATE OR REPLACE VIEW profiles AS
    SELECT badge_id,
           (array_agg(coalesce(codes, '') ORDER BY at DESC, device_id, seq DESC))[1] AS codes,
           (array_agg(epid ORDER BY at DESC, device_id, seq DESC) FILTER (WHERE epid IS NOT NULL))[1] AS epid,
           (array_agg(birth_mmdd ORDER BY at DESC, device_id, seq DESC)
              FILTER (WHERE birth_mmdd IS NOT NULL))[1] AS birth_mmdd,
           (array_agg(pharm_role ORDER BY at DESC, device_id, seq DESC))[1] AS pharm_role,
           (array_agg(moc_consent ORDER BY at DESC, device_id, seq DESC))[1] AS moc_consent,
           (array_agg(abim_id ORDER BY at DESC, device_id, seq DESC) FILTER (WHERE abim_id IS NOT NULL))[1] AS abim_id,
           max(at) AS updated_at
    FROM profile_rows GROUP BY badge_id;

    CREATE OR REPLACE VIEW answers AS
    SELECT DISTINCT ON (badge_id, question_id) badge_id, question_id, answer, answered_at
    FROM answer_rows
    ORDER BY badge_id, question_id, answered_at DESC, device_id, seq DESC;
    "#,
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
    r#"
    CREATE TABLE kiosks (
        kiosk_id    text PRIMARY KEY,
        added_at    timestamptz NOT NULL DEFAULT now(),
        added_by    text NOT NULL,
        enrolled_at timestamptz,
        revoked_at  timestamptz,
        revoked_by  text
    );
    CREATE TABLE enrolment_codes (
        code_hash  bytea PRIMARY KEY,
        kiosk_id   text NOT NULL REFERENCES kiosks(kiosk_id),
        made_at    timestamptz NOT NULL DEFAULT now(),
        made_by    text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at    timestamptz,
        -- The kiosk's own random word for its request: a retry of the same
        -- enrolment (its answer lost on the way) is answered again.
        used_nonce text
    );
    CREATE TABLE kiosk_keys (
        key_id        bigserial PRIMARY KEY,
        kiosk_id      text NOT NULL REFERENCES kiosks(kiosk_id),
        token_hash    bytea NOT NULL UNIQUE,
        summary_key   bytea NOT NULL,
        made_at       timestamptz NOT NULL DEFAULT now(),
        first_used_at timestamptz,
        retired_at    timestamptz,
        retired_why   text
    );
    CREATE INDEX kiosk_keys_by_kiosk ON kiosk_keys(kiosk_id);
    -- Walk-ins that differ from the attendee the hub holds: the office's
    -- record stands, the walk-in as sent is kept here.
    CREATE TABLE attendee_conflicts (
        device_id text NOT NULL,
        seq       bigint NOT NULL,
        badge_id  text NOT NULL,
        kiosk_id  text NOT NULL,
        sent      json NOT NULL,
        noted_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (device_id, seq)
    );
    CREATE INDEX attendee_conflicts_by_badge ON attendee_conflicts(badge_id);

    -- A kiosk's time as an instant, or null when it is not one.
    CREATE FUNCTION kiosk_instant(t text) RETURNS timestamptz
    LANGUAGE plpgsql STABLE AS $fn$
    BEGIN
      RETURN t::timestamptz;
    EXCEPTION WHEN others THEN
      RETURN NULL;
    END $fn$;
    -- Profiles and evaluations held before the hub checked their times:
    -- one whose time is not an instant, or is later than the hub received
    -- it (a kiosk's clock far ahead would win newest-wins for good), is
    -- set aside with the reason, as a new one would be.
    UPDATE records SET rejected = 'its time ''' || coalesce(payload->>'at', '') || ''' is not a time, or is after the hub received it'
     WHERE kind IN ('profile', 'evaluation') AND rejected IS NULL
       AND (kiosk_instant(payload->>'at') IS NULL
            OR kiosk_instant(payload->>'at') > received_at + interval '15 minutes');
    ALTER TABLE profile_rows ADD COLUMN at_utc timestamptz;
    ALTER TABLE answer_rows ADD COLUMN answered_utc timestamptz;
    UPDATE profile_rows SET at_utc = kiosk_instant(at);
    UPDATE answer_rows SET answered_utc = kiosk_instant(answered_at);

    CREATE OR REPLACE FUNCTION records_typed() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM claim_rows t USING old_rows o WHERE t.device_id = o.device_id AND t.seq = o.seq;
        DELETE FROM void_rows t USING old_rows o WHERE t.device_id = o.device_id AND t.seq = o.seq;
        DELETE FROM certificate_rows t USING old_rows o WHERE t.device_id = o.device_id AND t.seq = o.seq;
        DELETE FROM profile_rows t USING old_rows o WHERE t.device_id = o.device_id AND t.seq = o.seq;
        DELETE FROM answer_rows t USING old_rows o WHERE t.device_id = o.device_id AND t.seq = o.seq;
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        -- The kiosk is the one the device belongs to (the credentials'
        -- it uploaded with), not what the record says.
        INSERT INTO claim_rows
        SELECT r.device_id, r.seq, r.txid, r.received_at, r.badge_id, claim.claim_id, d.kiosk_id,
               coalesce(claim.visit_id, ''), claim.session_id, claim.credits_q, claim.claimed_at,
               claim.claimed_at::timestamptz
        FROM new_rows r JOIN devices d ON d.device_id = r.device_id,
             json_to_record(r.payload)
             AS claim(badge_id text, claim_id text, claimed_at text, credits_q integer, kiosk_id text,
                      session_id text, visit_id text)
        WHERE r.kind = 'claim' AND r.rejected IS NULL;

        INSERT INTO void_rows
        SELECT r.device_id, r.seq, r.badge_id, void.claim_id, void.voided_at, void.reason
        FROM new_rows r,
             json_to_record(r.payload)
             AS void(badge_id text, claim_id text, kiosk_id text, reason text, session_id text,
                     voided_at text)
        WHERE r.kind = 'void' AND r.rejected IS NULL;

        INSERT INTO certificate_rows
        SELECT r.device_id, r.seq, r.received_at, r.record_id, r.badge_id,
               coalesce(certificate.short_code, ''), certificate.issued_at, d.kiosk_id,
               certificate.language
        FROM new_rows r JOIN devices d ON d.device_id = r.device_id,
             json_to_record(r.payload)
             AS certificate(badge_id text, certificate_id text, codes text, issued_at text, kiosk_id text,
                            language text, short_code text, visit_id text)
        WHERE r.kind = 'certificate' AND r.rejected IS NULL;

        -- The hub checks `at` before it takes a record (and this
        -- migration set aside those it took before), so a cast will do.
        INSERT INTO profile_rows(device_id, seq, badge_id, codes, epid, birth_mmdd, pharm_role,
                                 moc_consent, abim_id, at, at_utc)
        SELECT r.device_id, r.seq, r.badge_id, profile.codes, profile.epid, profile.birth_mmdd,
               profile.pharm_role, coalesce(profile.moc_consent::text = 'true', false), profile.abim_id,
               profile.at, profile.at::timestamptz
        FROM new_rows r,
             json_to_record(r.payload)
             AS profile(abim_ending text, abim_id text, at text, badge_id text, birth_mmdd text,
                        birth_on_file json, codes text, epid text, epid_ending text, moc_consent json,
                        pharm_role text)
        WHERE r.kind = 'profile' AND r.rejected IS NULL;

        INSERT INTO answer_rows(device_id, seq, badge_id, question_id, answer, answered_at, answered_utc)
        SELECT DISTINCT ON (r.device_id, r.seq, a.key)
               r.device_id, r.seq, r.badge_id, a.key, a.value, evaluation.at, evaluation.at::timestamptz
        FROM new_rows r,
             json_to_record(r.payload)
             AS evaluation(answered json, answers json, at text, badge_id text, visit_id text),
             json_each_text(CASE WHEN json_typeof(evaluation.answers) = 'object' THEN evaluation.answers END) a
        WHERE r.kind = 'evaluation' AND r.rejected IS NULL;
      END IF;
      RETURN NULL;
    END $fn$;

    CREATE OR REPLACE VIEW profiles AS
    SELECT badge_id,
           (array_agg(coalesce(codes, '') ORDER BY at_utc DESC, device_id, seq DESC))[1] AS codes,
           (array_agg(epid ORDER BY at_utc DESC, device_id, seq DESC) FILTER (WHERE epid IS NOT NULL))[1] AS epid,
           (array_agg(birth_mmdd ORDER BY at_utc DESC, device_id, seq DESC)
              FILTER (WHERE birth_mmdd IS NOT NULL))[1] AS birth_mmdd,
           (array_agg(pharm_role ORDER BY at_utc DESC, device_id, seq DESC))[1] AS pharm_role,
           (array_agg(moc_consent ORDER BY at_utc DESC, device_id, seq DESC))[1] AS moc_consent,
           (array_agg(abim_id ORDER BY at_utc DESC, device_id, seq DESC) FILTER (WHERE abim_id IS NOT NULL))[1] AS abim_id,
           (array_agg(at ORDER BY at_utc DESC, device_id, seq DESC))[1] AS updated_at
    FROM profile_rows WHERE at_utc IS NOT NULL GROUP BY badge_id;

    CREATE OR REPLACE VIEW answers AS
    SELECT DISTINCT ON (badge_id, question_id) badge_id, question_id, answer, answered_at
    FROM answer_rows WHERE answered_utc IS NOT NULL
    ORDER BY badge_id, question_id, answered_utc DESC, device_id, seq DESC;
    "#,
    // 13: the CE office's sign-in throttle (`domain::sign_in`): wrong
    // passwords counted per account at one client address, per address
    // and for the whole hub, each row updated in one statement so guesses
    // sent at once are all counted. An account is no longer locked as
    // such (anyone could lock any account by guessing at it), so its
    // count and lock leave `admin_users`. `noted` keeps the audit to one
    // line a minute for attempts refused while a scope is stopped.
    r#"
    CREATE TABLE sign_in_throttle (
        scope        text NOT NULL,
        account      text NOT NULL,
        address      text NOT NULL,
        failures     integer NOT NULL,
        started      timestamptz NOT NULL,
        locked_until timestamptz,
        noted        timestamptz,
        PRIMARY KEY (scope, account, address)
    );
    CREATE INDEX sign_in_throttle_by_start ON sign_in_throttle(started);
    ALTER TABLE admin_users DROP COLUMN failures, DROP COLUMN locked_until;
    "#,
    // 14: each Open Badges credential the hub issues has a place in a W3C
    // Bitstring Status List (`hub::credential`): `idx` counts across the
    // lists of 131,072. A credential is its certificate and what it says
    // (`content`, a SHA-256 over the signed payload and `claim_ids`, the
    // claims it counted): fetched again unchanged, it keeps its place;
    // changed, it is a new credential with a new place. It reads as
    // revoked once a claim it counted is void (`void_rows`), worked out
    // when a list is read, so a void made anywhere (a kiosk's record, the
    // office's page, an import) needs nothing more.
    r#"
    CREATE TABLE credential_status (
        idx            integer PRIMARY KEY,
        certificate_id text NOT NULL,
        badge_id       text NOT NULL,
        content        bytea NOT NULL,
        claim_ids      text[] NOT NULL,
        issued_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (certificate_id, content)
    );
    CREATE INDEX credential_status_by_badge ON credential_status(badge_id);
    "#,
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
    r#"
    CREATE TABLE mail_messages (
        id             bigserial PRIMARY KEY,
        badge_id       text NOT NULL,
        reason         text NOT NULL,                  -- first, changed, resend
        state          text NOT NULL DEFAULT 'queued', -- queued, sending, sent, refused, replaced
        queued_at      timestamptz NOT NULL DEFAULT now(),
        not_before     timestamptz NOT NULL DEFAULT now(),
        lease_until    timestamptz,
        attempts       integer NOT NULL DEFAULT 0,
        tried_at       timestamptz,
        done_at        timestamptz,
        address        text,
        certificate_id text,
        language       text,
        fingerprint    text,
        message_id     text,                           -- made when first sent, kept for retries
        answer         text
    );
    CREATE UNIQUE INDEX mail_one_queued ON mail_messages(badge_id) WHERE state = 'queued';
    CREATE INDEX mail_due ON mail_messages(not_before) WHERE state IN ('queued', 'sending');
    CREATE INDEX mail_by_badge ON mail_messages(badge_id, id);
    CREATE TABLE mail_refused (
        address text PRIMARY KEY,            -- lower case
        at      timestamptz NOT NULL DEFAULT now(),
        answer  text NOT NULL
    );
    CREATE TABLE mail_cursor (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        txid      xid8 NOT NULL DEFAULT '0',
        seq       bigint NOT NULL DEFAULT 0
    );
    INSERT INTO mail_cursor DEFAULT VALUES;

    ALTER TABLE certificate_rows ADD COLUMN mail_declined boolean NOT NULL DEFAULT false;
    CREATE FUNCTION records_mail_declined() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      UPDATE certificate_rows t SET mail_declined = true
      FROM new_rows r,
           json_to_record(r.payload)
           AS certificate(badge_id text, certificate_id text, codes text, issued_at text, kiosk_id text,
                          language text, mail_declined json, short_code text, visit_id text)
      WHERE r.kind = 'certificate' AND r.rejected IS NULL AND certificate.mail_declined::text = 'true'
        AND t.device_id = r.device_id AND t.seq = r.seq;
      RETURN NULL;
    END $fn$;
    CREATE TRIGGER records_typed_xmail_insert AFTER INSERT ON records
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION records_mail_declined();
    CREATE TRIGGER records_typed_xmail_update AFTER UPDATE ON records
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION records_mail_declined();
    "#,
    // 16: what the hub sent to PARS and CPE Monitor: the receiving systems keep
    // what they were sent, so a correction is a Delete of the row as it
    // was sent. Each file the CE office marks as uploaded is a submission
    // (who marked it, when, and whether it was the whole file), and each
    // of its rows is kept as it went: the row's key at the receiving
    // system, the attendee, Add or Delete, and its fields. What a system
    // holds now is each key's latest row, where that is an Add.
    r#"
    CREATE TABLE submissions (
        id      bigserial PRIMARY KEY,
        system  text NOT NULL CHECK (system IN ('pars', 'cpe-monitor')),
        account text NOT NULL,
        whole   boolean NOT NULL,
        at      timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE sent_rows (
        submission bigint NOT NULL REFERENCES submissions(id),
        ord        integer NOT NULL,
        system     text NOT NULL,
        row_key    text NOT NULL,
        badge_id   text NOT NULL,
        action     text NOT NULL CHECK (action IN ('add', 'delete')),
        fields     jsonb NOT NULL,
        PRIMARY KEY (submission, ord)
    );
    CREATE INDEX sent_rows_by_key ON sent_rows (system, row_key, submission DESC, ord DESC);
    CREATE INDEX sent_rows_by_badge ON sent_rows (badge_id);
    "#,
    // 17: a kiosk asks for its device's rejected records at every sync;
    // they are few, and without an index of their own each ask read every
    // record of the device (payload and all) to find them.
    r#"
    CREATE INDEX records_rejected_by_device ON records(device_id, seq) WHERE rejected IS NOT NULL;
    "#,
];

/// The newest definition of view `name` among the first `upto`
/// migrations: its text after `VIEW name AS` (in CREATE VIEW or CREATE OR
/// REPLACE VIEW), up to its `;`.
pub fn view_definition(name: &str, upto: usize) -> Option<&'static str> {
    let head = format!(" VIEW {name} AS");
    MIGRATIONS[..upto.min(MIGRATIONS.len())]
        .iter()
        .rev()
        .find_map(|m| m.rsplit_once(head.as_str()).map(|(_, view)| view))
        .map(|view| view.split(';').next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::records::{Body, samples};

    /// The columns the views read from one kind's payloads: the list of
    /// `json_to_record(...) AS <kind>(...)` in the newest migration that
    /// reads that kind.
    fn view_columns(kind: &str) -> Option<BTreeMap<String, String>> {
        let alias = format!(" AS {kind}(");
        let newest = super::MIGRATIONS
            .iter()
            .rev()
            .find(|m| m.contains(&alias))?;
        let start = newest.find(&alias)? + alias.len();
        let end = start + newest[start..].find(')')?;
        Some(
            newest[start..end]
                .split(',')
                .map(|c| {
                    let mut words = c.split_whitespace();
                    let name = words.next().unwrap_or_default().to_string();
                    (name, words.collect::<Vec<_>>().join(" "))
                })
                .collect(),
        )
    }

    /// A field's SQL type as the views must read it, from its JSON value.
    /// True/false is read as json: records kept before the hub checked it
    /// may hold anything there, and a cast would stop the view.
    fn sql_type(v: &serde_json::Value) -> &'static str {
        match v {
            serde_json::Value::String(_) => "text",
            serde_json::Value::Number(_) => "integer",
            _ => "json",
        }
    }

    #[test]
    fn view_columns_are_the_record_fields() {
        let mut viewed = Vec::new();
        for body in samples::all() {
            let kind = body.kind();
            let Some(columns) = view_columns(kind) else {
                continue;
            };
            viewed.push(kind);
            let fields: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&body.to_json()).expect("a record is a JSON object");
            let fields: BTreeMap<String, String> = fields
                .iter()
                .map(|(k, v)| (k.clone(), sql_type(v).to_string()))
                .collect();
            assert_eq!(columns, fields, "the view of {kind} records");
        }
        // Walk-ins go into the attendees table; the roster kinds and door
        // scans are the hub's own, in tables of their own. Every other
        // kind a kiosk writes has a view.
        assert_eq!(
            viewed,
            [
                "claim",
                "void",
                "certificate",
                "profile",
                "evaluation",
                "audit"
            ]
        );
        assert!(matches!(samples::all()[0], Body::Claim(_)));
    }
}
