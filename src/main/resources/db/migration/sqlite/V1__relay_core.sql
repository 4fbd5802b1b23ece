-- Relay core store, embedded (SQLite). The same tables and columns as ../postgresql/V1__relay_core.sql, in
-- SQLite's types: ids are AUTOINCREMENT (never reused after pruning, so an id in a log line or a chat message
-- names one notification forever), timestamps are INTEGER milliseconds since the epoch (UTC; StoreDialect binds
-- and reads them), so they compare as numbers.

CREATE TABLE notification (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    route       TEXT    NOT NULL,
    receiver    TEXT,
    group_key   TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    alert_count INTEGER NOT NULL,
    payload     TEXT,
    received_at INTEGER NOT NULL
);
CREATE INDEX notification_received ON notification (received_at);

-- WITHOUT ROWID: the key is the table, no second copy of it in an index.
CREATE TABLE notification_dedupe (
    dedupe_key      TEXT    NOT NULL PRIMARY KEY,
    notification_id INTEGER NOT NULL,
    seen_at         INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX notification_dedupe_seen ON notification_dedupe (seen_at);

CREATE TABLE delivery (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    notification_id INTEGER NOT NULL REFERENCES notification (id) ON DELETE CASCADE,
    channel         TEXT    NOT NULL,
    group_hash      TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    accepted_at     INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    retry_deadline  INTEGER NOT NULL,
    lease_owner     TEXT,
    lease_until     INTEGER,
    delivered_at    INTEGER,
    last_error      TEXT
);
CREATE INDEX delivery_due ON delivery (channel, state, next_attempt_at);
CREATE INDEX delivery_group_order ON delivery (channel, group_hash, id);
CREATE INDEX delivery_notification ON delivery (notification_id);
CREATE INDEX delivery_lease ON delivery (lease_owner);

CREATE TABLE channel_state (
    channel     TEXT    NOT NULL,
    state_key   TEXT    NOT NULL,
    state_value TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (channel, state_key)
) WITHOUT ROWID;
