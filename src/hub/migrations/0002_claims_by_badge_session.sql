
    CREATE INDEX claims_by_badge_session ON claims(badge_id, session_id);
    DROP INDEX claims_by_badge;
    ALTER TABLE records DROP CONSTRAINT records_device_id_fkey;
    