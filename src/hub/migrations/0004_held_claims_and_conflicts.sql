
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
    