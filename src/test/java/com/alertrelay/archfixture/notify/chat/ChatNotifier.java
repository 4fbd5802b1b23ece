package com.alertrelay.archfixture.notify.chat;

import java.time.Duration;

import com.alertrelay.archfixture.delivery.Lease;
import com.alertrelay.archfixture.notify.Spi;

/** Uses the SPI and its own package (allowed) and the core's {@link Lease} (the violation). */
record ChatNotifier(Spi channel, ChatSettings settings) {

    Duration budget(Lease lease) {
        return lease.duration().dividedBy(2);
    }
}
