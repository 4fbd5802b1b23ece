package com.alertrelay.notify;

/**
 * A channel type (log, telegram, kakao …): one Spring bean per type. The core creates one {@link Notifier}
 * per configured channel instance {@code relay.channels.<name>} whose {@code type} matches {@link #type()}.
 */
public interface NotifierType {

    /** The value of {@code relay.channels.<name>.type} this bean serves. */
    String type();

    /**
     * Creates the notifier of one channel instance. Bind and validate type-specific settings with
     * {@link ChannelDefinition#bindSettings}; throw to fail startup with a message naming the property.
     */
    Notifier create(ChannelDefinition channel);
}
