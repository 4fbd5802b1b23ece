-- Order service store, embedded (SQLite); see ../postgresql/V2__orders.sql.
CREATE TABLE orders (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    item           TEXT    NOT NULL,
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    amount         NUMERIC NOT NULL CHECK (amount > 0),
    status         TEXT    NOT NULL,
    failure_reason TEXT,
    created_at     INTEGER NOT NULL,
    processed_at   INTEGER
);
CREATE INDEX orders_created ON orders (created_at);
