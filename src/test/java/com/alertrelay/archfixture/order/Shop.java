package com.alertrelay.archfixture.order;

import com.alertrelay.archfixture.store.Dialect;
import com.alertrelay.archfixture.webhook.Hook;

/** Uses the shared {@code store} (allowed) and the relay's {@code webhook} (the violation). */
class Shop {

    private final Dialect dialect;

    Shop(Dialect dialect) {
        this.dialect = dialect;
    }

    Object order(Hook hook) {
        return dialect.timestamp(hook.received());
    }
}
