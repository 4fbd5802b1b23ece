package com.alertrelay.delivery;

/** A dead delivery with what the console shows of its notification. */
public record DeadLetter(DeliveryView delivery, NotificationSummary notification) {
}
