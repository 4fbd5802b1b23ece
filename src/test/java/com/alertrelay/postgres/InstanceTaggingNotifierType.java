package com.alertrelay.postgres;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.ChannelDefinition;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.notify.Notifier;
import com.alertrelay.notify.NotifierType;
import com.alertrelay.notify.RenderedMessage;

import jakarta.validation.constraints.NotBlank;

/**
 * Test channel type {@code tagging}: records every delivery as (instance, notification id, groupKey) in one
 * static list shared by all relay instances of this JVM, so a test running several instances against one
 * database can tell which instance sent what. The instance is {@code relay.channels.<name>.instance}.
 * Each delivery sleeps 5-20 ms to widen race windows between competing workers.
 *
 * <p>Deliberately not a {@code @Component}: {@link PostgresReplicasIT} registers it into the contexts it
 * starts, so no other test's component scan sees it.
 */
public class InstanceTaggingNotifierType implements NotifierType {

    public static final String TYPE = "tagging";

    /** @param instance which relay instance this channel belongs to */
    public record Settings(@NotBlank String instance) {
    }

    /** One delivery, as the notifier of {@code instance} was asked to send it. */
    public record Sent(String instance, String channel, long notificationId, String groupKey) {
    }

    private static final List<Sent> SENT = new CopyOnWriteArrayList<>();

    public static List<Sent> sent() {
        return List.copyOf(SENT);
    }

    public static int sentCount() {
        return SENT.size();
    }

    public static void reset() {
        SENT.clear();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Notifier create(ChannelDefinition channel) {
        Settings settings = channel.bindSettings(Settings.class);
        String name = channel.name();
        return new Notifier() {
            @Override
            public List<RenderedMessage> render(AlertNotification notification) {
                return List.of(new RenderedMessage("text", settings.instance() + " " + notification.id() + " "
                        + notification.group().groupKey()));
            }

            @Override
            public DeliveryResult deliver(AlertNotification notification) {
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(5, 21));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return DeliveryResult.retry("interrupted");
                }
                SENT.add(new Sent(settings.instance(), name, notification.id(), notification.group().groupKey()));
                return DeliveryResult.delivered();
            }
        };
    }
}
