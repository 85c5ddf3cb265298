    -- The hub writes an upload page's typed rows itself, from the records
    -- it has just checked (`hub::db::typed`), and tells the insert trigger
    -- so for that transaction: the trigger no longer reads every new
    -- record's JSON back out of the statement's rows (a third of an
    -- upload's COPY). Any other insert (a page the hub could not read so,
    -- the office's own void, a record written by hand) still gets its
    -- typed rows from the trigger, and updates and deletes are as before.
    DROP TRIGGER records_typed_insert ON records;
    CREATE TRIGGER records_typed_insert AFTER INSERT ON records
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
        WHEN (current_setting('cekiosk.typed_rows', true) IS DISTINCT FROM 'written')
        EXECUTE FUNCTION records_typed();

    -- A claim's and a certificate's transaction and time received are
    -- their record's: the same defaults, in the same transaction.
    ALTER TABLE claim_rows ALTER COLUMN txid SET DEFAULT pg_current_xact_id(),
                           ALTER COLUMN received_at SET DEFAULT now();
    ALTER TABLE certificate_rows ALTER COLUMN received_at SET DEFAULT now();
