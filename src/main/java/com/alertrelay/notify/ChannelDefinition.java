package com.alertrelay.notify;

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
     * How long one {@link Notifier#deliverAll} may keep starting calls: half of {@code relay.delivery.lease}, so
     * that a batch ends well inside the lease its worker holds (see {@link NotifierHttp#fitsBefore}).
     */
    java.time.Duration sendBudget();
}
