-- A delivery made because another one became dead (relay.channels.<name>.fallback) points to it.
ALTER TABLE delivery ADD COLUMN fallback_of BIGINT;
CREATE INDEX delivery_fallback_of ON delivery (fallback_of) WHERE fallback_of IS NOT NULL;
