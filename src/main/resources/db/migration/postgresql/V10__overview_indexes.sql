-- The console's overview counts, per channel, its deliveries delivered and dead within the last hour and reads its
-- last error, every 5 s: each an index range of the one channel (DeliveryOverview), where one statement over all
-- deliveries took 0.9 s on SQLite with 100,000 notifications stored (bench/RESULTS-console.md).
-- A delivered delivery has no last_error, so the last index holds only the retrying and dead ones.
CREATE INDEX delivery_channel_delivered ON delivery (channel, delivered_at) WHERE state = 'DELIVERED';
CREATE INDEX delivery_channel_dead ON delivery (channel, dead_at) WHERE state = 'DEAD';
CREATE INDEX delivery_channel_error ON delivery (channel, id) WHERE last_error IS NOT NULL;
