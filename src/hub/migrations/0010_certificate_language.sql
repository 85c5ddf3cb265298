
    CREATE OR REPLACE VIEW certificates AS
    SELECT r.record_id AS certificate_id, coalesce(certificate.short_code, '') AS short_code, r.badge_id,
           certificate.issued_at, certificate.kiosk_id, r.device_id, r.received_at, certificate.language
    FROM records r,
         json_to_record(r.payload)
         AS certificate(badge_id text, certificate_id text, codes text, issued_at text, kiosk_id text,
                        language text, short_code text, visit_id text)
    WHERE r.kind = 'certificate' AND r.rejected IS NULL;
    