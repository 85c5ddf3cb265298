
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
    