
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
    