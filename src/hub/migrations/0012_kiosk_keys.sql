
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
    