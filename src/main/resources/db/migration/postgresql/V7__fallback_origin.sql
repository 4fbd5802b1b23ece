-- A fallback delivery shows what the first channel of its chain would have shown (that channel's label filter and
-- send-resolved, not the fallback channel's own): fallback_origin names that channel; NULL on a routed delivery.
ALTER TABLE delivery ADD COLUMN fallback_origin VARCHAR(200);
UPDATE delivery SET fallback_origin = (SELECT o.channel FROM delivery o WHERE o.id = delivery.fallback_of)
WHERE fallback_of IS NOT NULL;
