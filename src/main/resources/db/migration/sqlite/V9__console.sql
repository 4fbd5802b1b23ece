-- See ../postgresql/V9__console.sql.
ALTER TABLE notification ADD COLUMN alert_labels TEXT;
CREATE TABLE delivery_attempt (
    delivery_id  INTEGER NOT NULL REFERENCES delivery (id) ON DELETE CASCADE,
    attempt      INTEGER NOT NULL,
    attempted_at INTEGER NOT NULL,
    outcome      TEXT    NOT NULL,
    error        TEXT,
    PRIMARY KEY (delivery_id, attempt)
) WITHOUT ROWID;
