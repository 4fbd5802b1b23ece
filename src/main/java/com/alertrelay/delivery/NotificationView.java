package com.alertrelay.delivery;

import java.time.Instant;
import java.util.List;

/** A stored notification with the state of each of its deliveries, for the operator API. */
record NotificationView(long id, String route, String receiver, String status, String groupKey, int alertCount,
        Instant receivedAt, List<DeliveryView> deliveries) {
}
