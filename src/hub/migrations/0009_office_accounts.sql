
    CREATE TABLE admin_users (
        name          text PRIMARY KEY,
        password_hash text NOT NULL,
        failures      integer NOT NULL DEFAULT 0,
        locked_until  timestamptz,
        created_at    timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE admin_sessions (
        token_hash bytea PRIMARY KEY,
        user_name  text NOT NULL REFERENCES admin_users(name) ON DELETE CASCADE,
        csrf       text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
    );
    CREATE TABLE admin_audit (
        id      bigserial PRIMARY KEY,
        at      timestamptz NOT NULL DEFAULT now(),
        account text NOT NULL,
        action  text NOT NULL,
        detail  text NOT NULL DEFAULT ''
    );
    ALTER TABLE devices
        ADD COLUMN version            text,
        ADD COLUMN reported_at        timestamptz,
        ADD COLUMN clock_offset_ms    bigint,
        ADD COLUMN not_uploaded       bigint,
        ADD COLUMN kiosk_result       text,
        ADD COLUMN interval_seconds   integer,
        ADD COLUMN last_upload_at     timestamptz,
        ADD COLUMN last_upload_result text;
    