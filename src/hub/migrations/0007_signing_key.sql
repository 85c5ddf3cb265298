
    CREATE TABLE signing_key (
        singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        pkcs8      bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
    );
    