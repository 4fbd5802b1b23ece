package com.alertrelay.notify;

import java.time.Duration;

/**
 * A configured channel instance as handed to its {@link NotifierType}.
 */
public interface ChannelDefinition {

    /** The instance name: the key under {@code relay.channels}. */
    String name();

    /** The property prefix of this instance, {@code relay.channels.<name>}, for error messages. */
    String propertyPrefix();

    /**
     * Binds {@code relay.channels.<name>.*} onto a type-specific properties record and validates it
     * (Jakarta Bean Validation); a violation fails startup naming the property.
     */
    <T> T bindSettings(Class<T> settingsType);

    /** Durable state scoped to this channel. */
    ChannelState state();

    /**
     * How long one {@link Notifier#deliverAll} may keep sending: half of {@code relay.delivery.lease}, so that a
     * batch ends well inside the lease its worker holds on it. A call that could outlast it is not started
     * ({@link NotifierHttp#fitsBefore}); what is left goes back to the queue for the next batch.
     */
    Duration sendBudget();
}
