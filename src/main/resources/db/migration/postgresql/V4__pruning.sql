-- Every table has a size story (README, Storage): dead deliveries are pruned relay.delivery.dead-retention
-- after they died, channel state that belongs to an alert group goes once the store keeps nothing of the group,
-- and delivered deliveries are found by an index instead of a scan of the whole table.
ALTER TABLE delivery ADD COLUMN dead_at TIMESTAMP WITH TIME ZONE;
UPDATE delivery SET dead_at = next_attempt_at WHERE state = 'DEAD';
ALTER TABLE channel_state ADD COLUMN group_hash CHAR(64);
CREATE INDEX channel_state_group ON channel_state (group_hash) WHERE group_hash IS NOT NULL;
CREATE INDEX delivery_delivered ON delivery (delivered_at) WHERE state = 'DELIVERED';
