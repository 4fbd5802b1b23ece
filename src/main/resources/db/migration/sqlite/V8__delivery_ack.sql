-- See ../postgresql/V8__delivery_ack.sql.
ALTER TABLE delivery ADD COLUMN acked_by TEXT;
ALTER TABLE delivery ADD COLUMN acked_at INTEGER;
