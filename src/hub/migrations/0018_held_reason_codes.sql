CREATE OR REPLACE VIEW claim_state AS
WITH c AS (
    SELECT c.claim_id, c.device_id, c.seq, c.txid, c.badge_id, c.kiosk_id, c.visit_id, c.session_id,
           c.credits_q, c.claimed_at, c.received_at,
           CASE
             WHEN s.session_id IS NULL THEN 'session_not_in_catalog'
             WHEN a.badge_id IS NULL THEN 'attendee_not_on_roster'
             WHEN c.credits_q > s.credits_q THEN 'over_designation'
             WHEN s.ends_utc > least(c.claimed_utc, c.received_at) THEN 'not_ended'
           END AS held,
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

CREATE OR REPLACE VIEW claims AS
SELECT c.claim_id, c.device_id, c.seq, c.txid, c.kiosk_id, c.visit_id, c.badge_id, c.session_id,
       c.credits_q, c.claimed_at, c.received_at, c.voided_at, c.void_reason,
       CASE WHEN c.voided_at IS NULL AND c.held IS NULL
            THEN nullif(first_value(c.claim_id) OVER w, c.claim_id) END AS duplicate_of,
       c.held, c.designated_q
FROM claim_state c
WINDOW w AS (PARTITION BY c.badge_id, c.session_id, c.voided_at IS NULL AND c.held IS NULL
             ORDER BY c.claimed_at, c.device_id, c.seq);
