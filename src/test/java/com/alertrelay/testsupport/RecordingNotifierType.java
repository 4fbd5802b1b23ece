package com.alertrelay.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.stereotype.Component;

import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.ChannelDefinition;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.notify.Notifier;
import com.alertrelay.notify.NotifierType;
import com.alertrelay.notify.RenderedMessage;

/**
 * Test channel type {@code recording}: remembers every notification it was asked to deliver, per channel
 * name, and answers with scripted results (default: delivered). Lives on the test classpath only.
 */
@Component
public class RecordingNotifierType implements NotifierType {

    private static final Map<String, Recorder> RECORDERS = new ConcurrentHashMap<>();

    /** The recorder of a channel; created on first use so tests can script it before the app starts. */
    public static Recorder channel(String name) {
        return RECORDERS.computeIfAbsent(name, n -> new Recorder());
    }

    public static void resetAll() {
        RECORDERS.values().forEach(Recorder::reset);
    }

    @Override
    public String type() {
        return "recording";
    }

    @Override
    public Notifier create(ChannelDefinition channel) {
        Recorder recorder = channel(channel.name());
        return new Notifier() {
            @Override
            public List<RenderedMessage> render(AlertNotification notification) {
                recorder.failIfPoisoned(notification);
                return List.of(new RenderedMessage("text", notification.group().status() + " "
                        + notification.group().alerts().size() + " alert(s) " + notification.group().groupKey()));
            }

            @Override
            public DeliveryResult deliver(AlertNotification notification) {
                return recorder.deliver(notification);
            }

            @Override
            public List<DeliveryResult> deliverAll(List<AlertNotification> notifications) {
                recorder.batches.add(notifications.size());
                return Notifier.super.deliverAll(notifications);
            }

            @Override
            public Duration readyIn() {
                Instant until = recorder.busyUntil;
                Duration left = until == null ? Duration.ZERO
                        : Duration.between(Instant.now(), until);
                return left.isNegative() ? Duration.ZERO : left;
            }
        };
    }

    public static final class Recorder {

        private final List<AlertNotification> attempts = new CopyOnWriteArrayList<>();
        private final List<AlertNotification> delivered = new CopyOnWriteArrayList<>();
        private final Deque<DeliveryResult> script = new ArrayDeque<>();
        private volatile DeliveryResult fallback = DeliveryResult.delivered();
        private volatile Error errorOnce;
        private volatile RuntimeException alwaysThrow;
        private volatile String poison;
        private final List<Integer> batches = new CopyOnWriteArrayList<>();
        private volatile Instant busyUntil;

        /** The notifier says it cannot send anything before {@code until} ({@link Notifier#readyIn()}). */
        public Recorder busyUntil(Instant until) {
            busyUntil = until;
            return this;
        }

        /** The size of each batch handed to the notifier, in order. */
        public List<Integer> batches() {
            return List.copyOf(batches);
        }

        /** The next results, in order; after them {@link #always} applies. */
        public synchronized Recorder thenAnswer(DeliveryResult... results) {
            script.addAll(List.of(results));
            return this;
        }

        /** The next delivery throws this instead of answering, as a broken notifier would. */
        public Recorder thenThrow(Error error) {
            errorOnce = error;
            return this;
        }

        /** Every delivery throws this (rendering still works): a notifier with a bug on the send path. */
        public Recorder alwaysThrow(RuntimeException exception) {
            alwaysThrow = exception;
            return this;
        }

        /**
         * Rendering (and so sending) a notification whose group key contains {@code groupKeyFragment} throws, as a
         * renderer with a bug for one payload would.
         */
        public Recorder poisonedBy(String groupKeyFragment) {
            poison = groupKeyFragment;
            return this;
        }

        void failIfPoisoned(AlertNotification notification) {
            String fragment = poison;
            if (fragment != null && notification.group().groupKey().contains(fragment)) {
                throw new IllegalStateException("renderer bug for " + fragment);
            }
        }

        public Recorder always(DeliveryResult result) {
            fallback = result;
            return this;
        }

        public synchronized void reset() {
            attempts.clear();
            delivered.clear();
            script.clear();
            errorOnce = null;
            alwaysThrow = null;
            poison = null;
            batches.clear();
            busyUntil = null;
            fallback = DeliveryResult.delivered();
        }

        DeliveryResult deliver(AlertNotification notification) {
            attempts.add(notification);
            failIfPoisoned(notification);
            RuntimeException always = alwaysThrow;
            if (always != null) {
                throw always;
            }
            Error error = errorOnce;
            if (error != null) {
                errorOnce = null;
                throw error;
            }
            DeliveryResult result;
            synchronized (this) {
                result = script.isEmpty() ? fallback : script.poll();
            }
            if (result instanceof DeliveryResult.Delivered) {
                delivered.add(notification);
            }
            return result;
        }

        public List<AlertNotification> attempts() {
            return List.copyOf(attempts);
        }

        public List<AlertNotification> delivered() {
            return List.copyOf(delivered);
        }
    }
}
