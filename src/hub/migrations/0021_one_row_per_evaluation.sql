    -- An evaluation's answers were kept one row each (with a key and a
    -- badge index apiece), the largest piece of an upload's upkeep, while
    -- the hub reads only when each attendee last answered. An evaluation
    -- is now one row, with its time; the `answers` view reads the answers
    -- from the records, newest first per question, as before.
    CREATE TABLE evaluation_rows (
        device_id    text NOT NULL,
        seq          bigint NOT NULL,
        badge_id     text,
        answered_at  text,
        answered_utc timestamptz,
        PRIMARY KEY (device_id, seq)
    );
    INSERT INTO evaluation_rows(device_id, seq, badge_id, answered_at, answered_utc)
    SELECT DISTINCT ON (device_id, seq) device_id, seq, badge_id, answered_at, answered_utc
    FROM answer_rows ORDER BY device_id, seq;

    CREATE OR REPLACE VIEW answers AS
    SELECT DISTINCT ON (e.badge_id, a.key) e.badge_id, a.key AS question_id, a.value AS answer,
           e.answered_at
    FROM evaluation_rows e
    JOIN records r ON r.device_id = e.device_id AND r.seq = e.seq,
         json_each_text(CASE WHEN json_typeof(r.payload->'answers') = 'object'
                             THEN r.payload->'answers' END) a
    WHERE e.answered_utc IS NOT NULL
    ORDER BY e.badge_id, a.key, e.answered_utc DESC, e.device_id, e.seq DESC;

    CREATE OR REPLACE FUNCTION records_typed() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE
      kiosk_of jsonb;
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM claim_rows t USING old_rows o WHERE t.device_id = o.device_id AND t.seq = o.seq;
        DELETE FROM void_rows t USING old_rows o WHERE t.device_id = o.device_id AND t.seq = o.seq;
        DELETE FROM certificate_rows t USING old_rows o WHERE t.device_id = o.device_id AND t.seq = o.seq;
        DELETE FROM profile_rows t USING old_rows o WHERE t.device_id = o.device_id AND t.seq = o.seq;
        DELETE FROM evaluation_rows t USING old_rows o WHERE t.device_id = o.device_id AND t.seq = o.seq;
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        -- The kiosk is the one the device belongs to (the credentials'
        -- it uploaded with), not what the record says; a record of a
        -- device the hub does not know has none, and no typed row.
        SELECT coalesce(jsonb_object_agg(d.device_id, d.kiosk_id), '{}') INTO kiosk_of
        FROM devices d WHERE d.device_id IN (SELECT DISTINCT n.device_id FROM new_rows n);
        INSERT INTO claim_rows
        SELECT r.device_id, r.seq, r.txid, r.received_at, r.badge_id, claim.claim_id,
               kiosk_of->>r.device_id, coalesce(claim.visit_id, ''), claim.session_id, claim.credits_q, claim.claimed_at,
               claim.claimed_at::timestamptz
        FROM new_rows r,
             json_to_record(r.payload)
             AS claim(badge_id text, claim_id text, claimed_at text, credits_q integer, kiosk_id text,
                      session_id text, visit_id text)
        WHERE r.kind = 'claim' AND r.rejected IS NULL AND kiosk_of ? r.device_id;

        INSERT INTO void_rows
        SELECT r.device_id, r.seq, r.badge_id, void.claim_id, void.voided_at, void.reason
        FROM new_rows r,
             json_to_record(r.payload)
             AS void(badge_id text, claim_id text, kiosk_id text, reason text, session_id text,
                     voided_at text)
        WHERE r.kind = 'void' AND r.rejected IS NULL;

        INSERT INTO certificate_rows(device_id, seq, received_at, certificate_id, badge_id, short_code,
                                     issued_at, kiosk_id, language, mail_declined)
        SELECT r.device_id, r.seq, r.received_at, r.record_id, r.badge_id,
               coalesce(certificate.short_code, ''), certificate.issued_at,
               kiosk_of->>r.device_id, certificate.language, coalesce(certificate.mail_declined::text = 'true', false)
        FROM new_rows r,
             json_to_record(r.payload)
             AS certificate(badge_id text, certificate_id text, codes text, issued_at text, kiosk_id text,
                            language text, mail_declined json, short_code text, visit_id text)
        WHERE r.kind = 'certificate' AND r.rejected IS NULL AND kiosk_of ? r.device_id;

        -- The hub checks `at` before it takes a record, so a cast will do.
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

        -- An evaluation is one row: when it was answered, and only if it
        -- answered something (as the answers' rows were); the answers
        -- themselves stay in its record.
        INSERT INTO evaluation_rows(device_id, seq, badge_id, answered_at, answered_utc)
        SELECT r.device_id, r.seq, r.badge_id, evaluation.at, evaluation.at::timestamptz
        FROM new_rows r,
             json_to_record(r.payload)
             AS evaluation(answered json, answers json, at text, badge_id text, visit_id text)
        WHERE r.kind = 'evaluation' AND r.rejected IS NULL
          AND EXISTS (SELECT FROM json_each(CASE WHEN json_typeof(evaluation.answers) = 'object'
                                                 THEN evaluation.answers END));
      END IF;
      RETURN NULL;
    END $fn$;

    DROP TABLE answer_rows;
