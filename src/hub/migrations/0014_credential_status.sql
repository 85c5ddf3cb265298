
    CREATE TABLE credential_status (
        idx            integer PRIMARY KEY,
        certificate_id text NOT NULL,
        badge_id       text NOT NULL,
        content        bytea NOT NULL,
        claim_ids      text[] NOT NULL,
        issued_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (certificate_id, content)
    );
    CREATE INDEX credential_status_by_badge ON credential_status(badge_id);
    