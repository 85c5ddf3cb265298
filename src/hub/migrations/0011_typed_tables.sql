
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
    