
    -- Each kiosk database, by its stable device id. high_seq is the highest
    -- outbox sequence the hub holds for it, and only ever rises.
    CREATE TABLE devices (
        device_id  text PRIMARY KEY,
        kiosk_id   text NOT NULL,
        high_seq   bigint NOT NULL DEFAULT 0,
        first_seen timestamptz NOT NULL DEFAULT now(),
        last_seen  timestamptz NOT NULL DEFAULT now()
    );
    -- Every record every kiosk uploaded, exactly once: the system of record.
    CREATE TABLE records (
        device_id   text NOT NULL REFERENCES devices(device_id),
        seq         bigint NOT NULL,
        kind        text NOT NULL,
        record_id   text NOT NULL,
        payload     jsonb NOT NULL,
        created_at  text NOT NULL,           -- the kiosk's own time
        received_at timestamptz NOT NULL DEFAULT now(),
        rejected    text,                    -- why it was not applied, if it was not
        PRIMARY KEY (device_id, seq)
    );
    -- What kiosks download: other kiosks' records and the hub's roster, in
    -- the order the hub took them. hub_seq is the download cursor.
    CREATE TABLE changes (
        hub_seq bigserial PRIMARY KEY,
        origin  text NOT NULL,               -- a device id, or 'hub'
        kind    text NOT NULL,
        payload jsonb NOT NULL
    );
    CREATE TABLE attendees (
        badge_id   text PRIMARY KEY,
        first_name text NOT NULL,
        last_name  text NOT NULL,
        degree     text NOT NULL,
        profession text NOT NULL,
        email      text NOT NULL,
        source     text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE sessions (
        session_id   text PRIMARY KEY,
        title        text NOT NULL,
        starts_at    text NOT NULL,
        ends_at      text NOT NULL,
        credits_q    integer NOT NULL,
        credit_types text NOT NULL,
        track        text NOT NULL,
        room         text NOT NULL,
        acpe_uan     text NOT NULL
    );
    CREATE TABLE claims (
        claim_id     text PRIMARY KEY,
        hub_order    bigserial,
        device_id    text NOT NULL,
        kiosk_id     text NOT NULL,
        visit_id     text NOT NULL,
        badge_id     text NOT NULL,
        session_id   text NOT NULL,
        credits_q    integer NOT NULL,
        claimed_at   text NOT NULL,
        received_at  timestamptz NOT NULL DEFAULT now(),
        voided_at    text,
        void_reason  text,
        -- The same attendee and session claimed again (at another kiosk):
        -- kept and flagged, counted once.
        duplicate_of text
    );
    CREATE INDEX claims_by_badge ON claims(badge_id);
    CREATE TABLE certificates (
        certificate_id text PRIMARY KEY,
        short_code     text NOT NULL,
        badge_id       text NOT NULL,
        issued_at      text NOT NULL,
        kiosk_id       text NOT NULL,
        device_id      text NOT NULL,
        received_at    timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX certificates_by_badge ON certificates(badge_id);
    CREATE TABLE profiles (
        badge_id    text PRIMARY KEY,
        codes       text NOT NULL,
        epid        text,
        birth_mmdd  text,
        pharm_role  text,
        moc_consent boolean NOT NULL,
        abim_id     text,
        updated_at  text NOT NULL
    );
    CREATE TABLE answers (
        badge_id    text NOT NULL,
        question_id text NOT NULL,
        answer      text NOT NULL,
        answered_at text NOT NULL,
        PRIMARY KEY (badge_id, question_id)
    );
    CREATE TABLE audit (
        device_id text NOT NULL,
        seq       bigint NOT NULL,
        at        text NOT NULL,
        kiosk_id  text NOT NULL,
        action    text NOT NULL,
        detail    text NOT NULL,
        PRIMARY KEY (device_id, seq)
    );
    