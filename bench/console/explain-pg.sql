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
SELECT n.id, n.route, n.receiver, n.status, n.alert_count, n.received_at, n.group_key, n.alert_labels FROM notification n WHERE LOWER(n.alert_labels) LIKE '%quokka%' ESCAPE '\' ORDER BY n.id DESC LIMIT 51
;
-- q=node-exporter (common)
SELECT n.id, n.route, n.receiver, n.status, n.alert_count, n.received_at, n.group_key, n.alert_labels FROM notification n WHERE LOWER(n.alert_labels) LIKE '%node-exporter%' ESCAPE '\' ORDER BY n.id DESC LIMIT 51
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
-- overview: last error per channel
SELECT d.channel, d.last_error FROM delivery d WHERE d.id IN (SELECT MAX(e.id) FROM delivery e WHERE e.last_error IS NOT NULL GROUP BY e.channel)
;
-- overview: activity in the last hour
SELECT channel,
       SUM(CASE WHEN state = 'PENDING' AND attempts = 0 THEN 1 ELSE 0 END) AS pending,
       SUM(CASE WHEN state = 'PENDING' AND attempts > 0 THEN 1 ELSE 0 END) AS retrying,
       SUM(CASE WHEN state = 'DELIVERED' AND delivered_at >= now() - interval '1 hour' THEN 1 ELSE 0 END) AS delivered,
       SUM(CASE WHEN state = 'DEAD' AND dead_at >= now() - interval '1 hour' THEN 1 ELSE 0 END) AS dead
FROM delivery
WHERE state = 'PENDING' OR delivered_at >= now() - interval '1 hour' OR dead_at >= now() - interval '1 hour'
GROUP BY channel
;
