-- The statements behind the console pages (delivery/NotificationSearch.java, DeliveryOverview.java at the
-- time of writing), with literal values; bench.py's console phase EXPLAINs them on the filled stores.
-- Keep in step with the code. Statements are separated by lines holding only ';'.
-- first page
SELECT n.id, n.route, n.receiver, n.status, n.alert_count, n.received_at, n.group_key, n.alert_labels FROM notification n ORDER BY n.id DESC LIMIT 51
;
-- route=infra
SELECT n.id, n.route, n.receiver, n.status, n.alert_count, n.received_at, n.group_key, n.alert_labels FROM notification n WHERE n.route = 'infra' ORDER BY n.id DESC LIMIT 51
;
-- status=resolved
SELECT n.id, n.route, n.receiver, n.status, n.alert_count, n.received_at, n.group_key, n.alert_labels FROM notification n WHERE n.status = 'resolved' ORDER BY n.id DESC LIMIT 51
;
-- q=quokka (rare)
SELECT n.id, n.route, n.receiver, n.status, n.alert_count, n.received_at, n.group_key, n.alert_labels FROM notification n WHERE n.alert_labels ILIKE '%quokka%' ESCAPE '\' ORDER BY n.id DESC LIMIT 51
;
-- q=node-exporter (common)
SELECT n.id, n.route, n.receiver, n.status, n.alert_count, n.received_at, n.group_key, n.alert_labels FROM notification n WHERE n.alert_labels ILIKE '%node-exporter%' ESCAPE '\' ORDER BY n.id DESC LIMIT 51
;
-- channel=db
SELECT n.id, n.route, n.receiver, n.status, n.alert_count, n.received_at, n.group_key, n.alert_labels FROM notification n WHERE n.id IN (SELECT d.notification_id FROM delivery d WHERE d.channel = 'db') ORDER BY n.id DESC LIMIT 51
;
-- state=dead
SELECT n.id, n.route, n.receiver, n.status, n.alert_count, n.received_at, n.group_key, n.alert_labels FROM notification n WHERE n.id IN (SELECT d.notification_id FROM delivery d WHERE d.state = 'DEAD') ORDER BY n.id DESC LIMIT 51
;
-- state=pending
SELECT n.id, n.route, n.receiver, n.status, n.alert_count, n.received_at, n.group_key, n.alert_labels FROM notification n WHERE n.id IN (SELECT d.notification_id FROM delivery d WHERE d.state = 'PENDING' AND d.attempts = 0) ORDER BY n.id DESC LIMIT 51
;
-- channel=db&state=dead
SELECT n.id, n.route, n.receiver, n.status, n.alert_count, n.received_at, n.group_key, n.alert_labels FROM notification n WHERE n.id IN (SELECT d.notification_id FROM delivery d WHERE d.channel = 'db' AND d.state = 'DEAD') ORDER BY n.id DESC LIMIT 51
;
-- dead letters
SELECT id, notification_id, channel, state, attempts, accepted_at, next_attempt_at, delivered_at, last_error, note, acked_by, acked_at, fallback_of, (SELECT MIN(f.id) FROM delivery f WHERE f.fallback_of = delivery.id) AS fallback_id FROM delivery WHERE state = 'DEAD' ORDER BY id DESC LIMIT 51
;
-- dead letters channel=db
SELECT id, notification_id, channel, state, attempts, accepted_at, next_attempt_at, delivered_at, last_error, note, acked_by, acked_at, fallback_of, (SELECT MIN(f.id) FROM delivery f WHERE f.fallback_of = delivery.id) AS fallback_id FROM delivery WHERE state = 'DEAD' AND channel = 'db' ORDER BY id DESC LIMIT 51
;
-- dead letters: counts per channel
SELECT channel, COUNT(*) AS n FROM delivery WHERE state = 'DEAD' GROUP BY channel
;
-- overview (DeliveryOverview, one channel's statements; the page runs them for each configured channel): queue
SELECT COALESCE(SUM(CASE WHEN attempts = 0 THEN 1 ELSE 0 END), 0) AS pending,
       COALESCE(SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END), 0) AS retrying
FROM delivery WHERE channel = 'log' AND state = 'PENDING'
;
-- overview: delivered in the last hour
SELECT COUNT(*) FROM delivery WHERE channel = 'log' AND state = 'DELIVERED' AND delivered_at >= now() - interval '1 hour'
;
-- overview: dead in the last hour
SELECT COUNT(*) FROM delivery WHERE channel = 'db' AND state = 'DEAD' AND dead_at >= now() - interval '1 hour'
;
-- overview: last error
SELECT last_error FROM delivery WHERE channel = 'db' AND last_error IS NOT NULL ORDER BY id DESC LIMIT 1
;
