package com.alertrelay.notify.telegram;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.alertrelay.notify.ChannelState;

import tools.jackson.databind.json.JsonMapper;

/**
 * What the buttons that act (silence, ack) under a firing message act on. Telegram gives a button at most 64 bytes
 * of {@code callback_data}, so a button carries a short random id and a verb; the id leads to a {@link Target} kept
 * in the channel's state — in the store, so a tap works after a restart and on any replica, and removed with the
 * group's other state once the store keeps none of its notifications.
 */
final class TelegramChatActions {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String ACK = "ack";
    static final String UNSILENCE = "unsilence";

    /**
     * A firing message with buttons that act, and what was done from it.
     *
     * @param unit          the planner's unit key (the group, or one alert of it), whose resolve keeps the ack line
     * @param groupHash     the group's hash, for pruning with its state
     * @param message       the message as sent (text and URL buttons), the base of every edit
     * @param matchers      the labels a silence matches exactly: the group's own labels and what it shares
     * @param title         the group's name, for answers and logs
     * @param silenceId     the silence created from this message, while it is active
     */
    record Target(String id, String unit, String groupHash, String chat, long messageId, String html, int length,
            List<TelegramMessage.Button> buttons, boolean silent, Map<String, String> matchers, String title,
            String silenceId, Instant silencedUntil, String silencedBy, String ackedBy, Instant ackedAt) {

        TelegramMessage message() {
            return new TelegramMessage(html, length, buttons, silent);
        }

        Target silenced(String id, Instant until, String by) {
            return new Target(this.id, unit, groupHash, chat, messageId, html, length, buttons, silent, matchers, title,
                    id, until, by, ackedBy, ackedAt);
        }

        Target acked(String by, Instant at) {
            return new Target(id, unit, groupHash, chat, messageId, html, length, buttons, silent, matchers, title,
                    silenceId, silencedUntil, silencedBy, by, at);
        }
    }

    private final ChannelState state;

    TelegramChatActions(ChannelState state) {
        this.state = state;
    }

    /** A new id for the buttons of one message: 10 characters of [A-Za-z0-9], about 60 bits. */
    static String newId() {
        StringBuilder id = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    /** The buttons that act on a firing message: a silence per duration, and ack. */
    static List<TelegramMessage.Button> buttons(String id, List<Duration> silences, boolean acked) {
        List<TelegramMessage.Button> buttons = new ArrayList<>();
        for (Duration d : silences) {
            buttons.add(TelegramMessage.Button.callback("🔕 " + readable(d), id + ":s" + d.toSeconds()));
        }
        if (!acked) {
            buttons.add(TelegramMessage.Button.callback("👀 Ack", id + ":" + ACK));
        }
        return buttons;
    }

    /** Where a silenced message's buttons were: the one that expires the silence. */
    static List<TelegramMessage.Button> unsilenceButton(String id) {
        return List.of(TelegramMessage.Button.callback("🔔 Unsilence", id + ":" + UNSILENCE));
    }

    /** 1h, 30m, 24h, 7d, 1h30m. */
    static String readable(Duration d) {
        long minutes = d.toMinutes();
        if (minutes >= 2880 && minutes % 1440 == 0) {
            return minutes / 1440 + "d";
        }
        if (minutes % 60 == 0 && minutes > 0) {
            return minutes / 60 + "h";
        }
        return minutes >= 60 ? minutes / 60 + "h" + minutes % 60 + "m" : Math.max(1, minutes) + "m";
    }

    void save(Target target) {
        state.put("action:" + target.id(), JSON.writeValueAsString(target), target.groupHash());
    }

    Optional<Target> find(String id) {
        if (id == null || !id.matches("[A-Za-z0-9]{10}")) {
            return Optional.empty();
        }
        return state.get("action:" + id).map(json -> JSON.readValue(json, Target.class));
    }

    /** Remembers the ack for the group's (or alert's) resolve, which keeps the ack line. */
    void rememberAck(Target target) {
        state.put("ack:" + target.unit(), target.ackedBy() + "|" + target.ackedAt().toEpochMilli(), target.groupHash());
    }

    /** Who acknowledged the unit and when, if someone did. */
    Optional<Ack> ack(String unit) {
        return state.get("ack:" + unit).flatMap(v -> {
            int bar = v.lastIndexOf('|');
            try {
                return Optional.of(new Ack(v.substring(0, bar), Instant.ofEpochMilli(Long.parseLong(v.substring(bar + 1)))));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    record Ack(String by, Instant at) {
    }
}
