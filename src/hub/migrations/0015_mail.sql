
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
    