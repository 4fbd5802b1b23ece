-- See ../postgresql/V4__pruning.sql.
ALTER TABLE delivery ADD COLUMN dead_at INTEGER;
UPDATE delivery SET dead_at = next_attempt_at WHERE state = 'DEAD';
ALTER TABLE channel_state ADD COLUMN group_hash TEXT;
CREATE INDEX channel_state_group ON channel_state (group_hash) WHERE group_hash IS NOT NULL;
CREATE INDEX delivery_delivered ON delivery (delivered_at) WHERE state = 'DELIVERED';
