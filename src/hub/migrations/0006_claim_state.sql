
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
    