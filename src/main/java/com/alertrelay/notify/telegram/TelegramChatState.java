package com.alertrelay.notify.telegram;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.ChannelState;
import com.alertrelay.notify.Sha256;

/**
 * What a Telegram channel remembers in the relay's store ({@link ChannelState}, table
 * {@code channel_state}), so it holds across restarts and is shared by replicas:
 * <ul>
 * <li>{@code msg:<sha256(group)>} — the message(s) that announced a group as firing, to edit or reply to
 * on resolve (forgotten with the group's last notification, also when no resolve comes);</li>
 * <li>{@code progress:<notification id>} — which messages of a multi-message notification already went out,
 * so a retry does not send them twice;</li>
 * <li>{@code chat:<configured chat id>} — the supergroup id a group chat migrated to;</li>
 * <li>{@code retry-until:<bot>|<chat>} — a 429's {@code retry_after}, so no replica calls that chat before
 * (kept by {@link com.alertrelay.notify.RateLimiter}).</li>
 * </ul>
 */
final class TelegramChatState {

    private final ChannelState state;

    TelegramChatState(ChannelState state) {
        this.state = state;
    }

    /**
     * Messages that announced a group as firing.
     *
     * @param digest     the message is a digest of several groups: reply to it, never edit it
     * @param uneditable Telegram refused to edit it (too old, deleted): reply instead
     */
    record Ref(String chat, List<Long> messageIds, boolean digest, boolean uneditable) {

        long first() {
            return messageIds.get(0);
        }

        Ref plus(long messageId) {
            List<Long> ids = new ArrayList<>(messageIds);
            ids.add(messageId);
            return new Ref(chat, List.copyOf(ids), digest, uneditable);
        }

        Ref asUneditable() {
            return new Ref(chat, messageIds, digest, true);
        }

        String encode() {
            return chat + "|" + messageIds.stream().map(String::valueOf).collect(Collectors.joining(","))
                    + "|" + (digest ? "digest" : "") + (uneditable ? ",uneditable" : "");
        }

        static Optional<Ref> decode(String value) {
            String[] parts = value.split("\\|", -1);
            if (parts.length != 3 || parts[1].isEmpty()) {
                return Optional.empty();
            }
            try {
                List<Long> ids = Arrays.stream(parts[1].split(",")).map(Long::parseLong).toList();
                return Optional.of(new Ref(parts[0], ids, parts[2].contains("digest"), parts[2].contains("uneditable")));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    Optional<Ref> ref(String unit) {
        return state.get("msg:" + sha256(unit)).flatMap(Ref::decode);
    }

    /** Kept while the store keeps any notification of {@code group}, even if its resolve never comes. */
    void putRef(String unit, Ref ref, AlertGroup group) {
        state.put("msg:" + sha256(unit), ref.encode(), group);
    }

    void removeRef(String unit) {
        state.remove("msg:" + sha256(unit));
    }

    Set<String> progress(long notificationId) {
        return state.get("progress:" + notificationId)
                .map(v -> v.isEmpty() ? new LinkedHashSet<String>() : new LinkedHashSet<>(List.of(v.split(","))))
                .orElseGet(LinkedHashSet::new);
    }

    void putProgress(long notificationId, Set<String> done, AlertGroup group) {
        state.put("progress:" + notificationId, String.join(",", done), group);
    }

    void clearProgress(long notificationId) {
        state.remove("progress:" + notificationId);
    }

    Optional<String> migratedChat(String configuredChat) {
        return state.get("chat:" + configuredChat);
    }

    void putMigratedChat(String configuredChat, String newChat) {
        state.put("chat:" + configuredChat, newChat);
    }

    static String sha256(String text) {
        return Sha256.hex(text);
    }
}
