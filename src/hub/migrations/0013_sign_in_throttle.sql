
    CREATE TABLE sign_in_throttle (
        scope        text NOT NULL,
        account      text NOT NULL,
        address      text NOT NULL,
        failures     integer NOT NULL,
        started      timestamptz NOT NULL,
        locked_until timestamptz,
        noted        timestamptz,
        PRIMARY KEY (scope, account, address)
    );
    CREATE INDEX sign_in_throttle_by_start ON sign_in_throttle(started);
    ALTER TABLE admin_users DROP COLUMN failures, DROP COLUMN locked_until;
    