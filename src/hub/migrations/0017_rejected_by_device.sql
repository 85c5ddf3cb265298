
    CREATE INDEX records_rejected_by_device ON records(device_id, seq) WHERE rejected IS NOT NULL;
    