
    CREATE TABLE scans (
        badge_id    text NOT NULL,
        session_id  text NOT NULL,
        scanned_at  text NOT NULL,            -- event-local YYYY-MM-DDTHH:MM
        direction   text NOT NULL DEFAULT '', -- in, out, or '' when not recorded
        imported_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (badge_id, session_id, scanned_at, direction)
    );
    -- Whether a session's door was scanned at all.
    CREATE INDEX scans_by_session ON scans(session_id);
    