
    CREATE TABLE submissions (
        id      bigserial PRIMARY KEY,
        system  text NOT NULL CHECK (system IN ('pars', 'cpe-monitor')),
        account text NOT NULL,
        whole   boolean NOT NULL,
        at      timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE sent_rows (
        submission bigint NOT NULL REFERENCES submissions(id),
        ord        integer NOT NULL,
        system     text NOT NULL,
        row_key    text NOT NULL,
        badge_id   text NOT NULL,
        action     text NOT NULL CHECK (action IN ('add', 'delete')),
        fields     jsonb NOT NULL,
        PRIMARY KEY (submission, ord)
    );
    CREATE INDEX sent_rows_by_key ON sent_rows (system, row_key, submission DESC, ord DESC);
    CREATE INDEX sent_rows_by_badge ON sent_rows (badge_id);
    