    -- Why a claim is held, as one function the claims' views and a
    -- device's held claims both read (a plain SQL expression, which
    -- PostgreSQL writes into each query that calls it). `in_catalog` and
    -- `on_roster` say whether the session and the attendee are there now;
    -- `designated_q` and `ends_utc` are the session's.
    CREATE FUNCTION held_code(in_catalog boolean, on_roster boolean, credits_q integer,
                              designated_q integer, ends_utc timestamptz, claimed_utc timestamptz,
                              received_at timestamptz)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
        SELECT CASE
                 WHEN NOT in_catalog THEN 'session_not_in_catalog'
                 WHEN NOT on_roster THEN 'attendee_not_on_roster'
                 WHEN credits_q > designated_q THEN 'over_designation'
                 WHEN ends_utc > least(claimed_utc, received_at) THEN 'not_ended'
               END
    $fn$;

    CREATE OR REPLACE VIEW claim_state AS
    WITH c AS (
        SELECT c.claim_id, c.device_id, c.seq, c.txid, c.badge_id, c.kiosk_id, c.visit_id, c.session_id,
               c.credits_q, c.claimed_at, c.received_at,
               held_code(s.session_id IS NOT NULL, a.badge_id IS NOT NULL, c.credits_q, s.credits_q,
                         s.ends_utc, c.claimed_utc, c.received_at) AS held,
               s.credits_q AS designated_q
        FROM claim_rows c
        LEFT JOIN sessions s ON s.session_id = c.session_id
        LEFT JOIN attendees a ON a.badge_id = c.badge_id
    )
    SELECT c.claim_id, c.device_id, c.seq, c.txid, c.kiosk_id, c.visit_id, c.badge_id, c.session_id,
           c.credits_q, c.claimed_at, c.received_at, v.voided_at, v.void_reason,
           CASE WHEN v.voided_at IS NULL THEN c.held END AS held,
           c.designated_q
    FROM c
    LEFT JOIN (
        SELECT DISTINCT ON (badge_id, claim_id) badge_id, claim_id, voided_at, reason AS void_reason
        FROM void_rows
        ORDER BY badge_id, claim_id, voided_at, device_id, seq
    ) v ON v.badge_id = c.badge_id AND v.claim_id = c.claim_id;
