    -- Since the typed tables (migration 11), the views and pages find an
    -- attendee's claims, voids and certificates there: the records'
    -- indexes by badge (all of them), by certificate and of voids are
    -- read by nothing, and every upload kept them. The one read by badge
    -- left is the office's list of an attendee's rejected records.
    DROP INDEX records_by_badge;
    DROP INDEX records_certificates;
    DROP INDEX records_voids;
    CREATE INDEX records_rejected_by_badge ON records(badge_id) WHERE rejected IS NOT NULL;
