-- See ../postgresql/V7__fallback_origin.sql.
ALTER TABLE delivery ADD COLUMN fallback_origin TEXT;
UPDATE delivery SET fallback_origin = (SELECT o.channel FROM delivery o WHERE o.id = delivery.fallback_of)
WHERE fallback_of IS NOT NULL;
