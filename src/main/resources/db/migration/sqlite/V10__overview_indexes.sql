-- See ../postgresql/V10__overview_indexes.sql.
CREATE INDEX delivery_channel_delivered ON delivery (channel, delivered_at) WHERE state = 'DELIVERED';
CREATE INDEX delivery_channel_dead ON delivery (channel, dead_at) WHERE state = 'DEAD';
CREATE INDEX delivery_channel_error ON delivery (channel, id) WHERE last_error IS NOT NULL;
