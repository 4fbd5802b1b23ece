package com.alertrelay.routing;

import java.time.Duration;

import com.alertrelay.notify.ChannelDefinition;

/**
 * What every channel gets as {@link ChannelDefinition#sendBudget()}. It follows from the delivery lease, which the
 * delivery package owns and provides this through; routing, which delivery uses, does not use delivery back.
 */
@FunctionalInterface
public interface SendBudget {

    Duration sendBudget();
}
