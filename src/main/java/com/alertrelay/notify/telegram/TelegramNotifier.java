package com.alertrelay.notify.telegram;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.notify.Notifier;
import com.alertrelay.notify.RenderedMessage;

/**
 * One Telegram chat. Sends each notification as HTML message(s); on resolve edits the firing message and
 * replies to it; coalesces a backlog into digests; keeps under Telegram's rate limits and honours 429
 * {@code retry_after}; follows a group's migration to a supergroup; dead-letters at once when the chat is
 * gone or the bot is blocked. Whatever Telegram refuses about a message's content (a bad button URL, an
 * entity it cannot parse) is sent again without the keyboard, then as plain text — never dropped.
 * The bot token appears in no result, log line or exception that leaves this class.
 */
final class TelegramNotifier implements Notifier {

    private static final Logger log = LoggerFactory.getLogger(TelegramNotifier.class);
    private static final Duration DEFAULT_429_WAIT = Duration.ofSeconds(5);
    private static final int MAX_VARIANT = 2;
    private static final List<String> CHAT_LEVEL_400 = List.of("chat not found", "thread not found", "topic_closed",
            "topic_deleted", "not enough rights", "have no rights", "chat_write_forbidden", "chat_restricted",
            "deactivated", "kicked", "not a member", "peer_id_invalid", "chat_admin_required");

    private final String channel;
    private final TelegramSettings settings;
    private final TelegramMessageRenderer renderer;
    private final TelegramDigest digest;
    private final TelegramApi api;
    private final TelegramRateLimiter limiter;
    private final TelegramChatState state;
    private final Clock clock;
    private final Duration budget;
    private final String bot;
    private volatile String chat;

    /**
     * @param budget how long one {@link #deliverAll} may keep sending; what is left over goes back to the core
     *               (keep it well under the delivery lease)
     */
    TelegramNotifier(String channel, TelegramSettings settings, TelegramMessageRenderer renderer, TelegramApi api,
            TelegramRateLimiter limiter, TelegramChatState state, Clock clock, Duration budget) {
        this.channel = channel;
        this.settings = settings;
        this.renderer = renderer;
        this.digest = new TelegramDigest(renderer);
        this.api = api;
        this.limiter = limiter;
        this.state = state;
        this.clock = clock;
        this.budget = budget;
        this.bot = "bot:" + TelegramChatState.sha256(settings.botToken()).substring(0, 16);
    }

    TelegramSettings settings() {
        return settings;
    }

    /** The chat messages go to: the configured one, or the supergroup it migrated to. */
    String chat() {
        String current = chat;
        if (current == null) {
            current = state.migratedChat(settings.chatId()).orElse(settings.chatId());
            if (!current.equals(settings.chatId())) {
                log.warn("Channel {}: Telegram chat {} migrated to supergroup {}; sending there. Set "
                        + "relay.channels.{}.chat-id to {} in the configuration", channel, settings.chatId(), current,
                        channel, current);
            }
            chat = current;
        }
        return current;
    }

    /** Calls {@code getMe}: does the token work? */
    TelegramResponse checkToken() {
        return api.call("getMe", Map.of());
    }

    @Override
    public List<RenderedMessage> render(AlertNotification notification) {
        return plan(units(notification)).stream()
                .map(action -> new RenderedMessage("html", action.message().html()))
                .toList();
    }

    @Override
    public DeliveryResult deliver(AlertNotification notification) {
        return deliverAll(List.of(notification)).get(0);
    }

    @Override
    public List<DeliveryResult> deliverAll(List<AlertNotification> notifications) {
        DeliveryResult[] results = new DeliveryResult[notifications.size()];
        try {
            deliverInto(notifications, results);
        } catch (RuntimeException e) {
            // a bug or the store failing: what was sent stays recorded as sent, the rest is retried
            String reason = api.mask(e.getClass().getSimpleName() + ": " + e.getMessage());
            log.error("Channel {}: delivery failed: {}", channel, reason);
            fill(results, DeliveryResult.retry(reason));
        }
        return Arrays.asList(results);
    }

    private void deliverInto(List<AlertNotification> notifications, DeliveryResult[] results) {
        Instant deadline = clock.instant().plus(budget);
        String target = chat();
        Instant blocked = laterOf(limiter.blockedUntil(bot, target), state.retryUntil(target).orElse(null));
        if (blocked != null && blocked.isAfter(clock.instant())) {
            limiter.blockUntil(bot, target, blocked);
            Duration wait = Duration.between(clock.instant(), blocked);
            fill(results, DeliveryResult.retryAfter("429 Too Many Requests: Telegram asked to wait until " + blocked, wait));
            return;
        }
        List<Integer> alone = new ArrayList<>();
        if (notifications.size() >= settings.digestThreshold()) {
            List<Integer> inDigest = new ArrayList<>();
            List<TelegramHtml> entries = new ArrayList<>();
            for (int i = 0; i < notifications.size(); i++) {
                TelegramHtml entry = digest.entry(notifications.get(i).group());
                if (entry == null) {
                    alone.add(i);
                } else {
                    inDigest.add(i);
                    entries.add(entry);
                }
            }
            if (!inDigest.isEmpty() && !sendDigests(notifications, inDigest, entries, results, deadline)) {
                return;
            }
        } else {
            for (int i = 0; i < notifications.size(); i++) {
                alone.add(i);
            }
        }
        for (int i : alone) {
            Outcome outcome = deliverOne(notifications.get(i), deadline);
            if (outcome instanceof Stop stop) {
                results[i] = stop.result();
                if (stop.chatLevel()) {
                    fill(results, stop.result());
                    return;
                }
            } else {
                results[i] = DeliveryResult.delivered();
            }
        }
    }

    /** @return false when the chat stopped taking messages (the rest of the batch is filled in) */
    private boolean sendDigests(List<AlertNotification> notifications, List<Integer> inDigest,
            List<TelegramHtml> entries, DeliveryResult[] results, Instant deadline) {
        List<AlertGroup> groups = inDigest.stream().map(i -> notifications.get(i).group()).toList();
        List<TelegramDigest.Message> messages = digest.pack(groups, entries);
        log.info("Channel {}: {} notifications waiting for chat {}, sending them as {} digest message(s)", channel,
                notifications.size(), chat(), messages.size());
        for (TelegramDigest.Message message : messages) {
            Outcome outcome = execute(new Action(Kind.SEND, -1, 0, false, false, message.message(), null, null), deadline);
            if (outcome instanceof Stop stop) {
                fill(results, stop.result());
                return false;
            }
            Sent sent = (Sent) outcome;
            for (int j : message.groups()) {
                int index = inDigest.get(j);
                AlertNotification notification = notifications.get(index);
                for (Unit unit : units(notification)) {
                    if (unit.group().isResolved()) {
                        state.removeRef(unit.key());
                    } else {
                        state.putRef(unit.key(), new TelegramChatState.Ref(sent.chat(), List.of(sent.messageId()), true, false),
                                unit.group());
                    }
                }
                if (notification.id() > 0) {
                    state.clearProgress(notification.id());
                }
                results[index] = DeliveryResult.delivered();
            }
        }
        return true;
    }

    /** Sends one notification, resuming after the messages a previous attempt already sent. */
    private Outcome deliverOne(AlertNotification notification, Instant deadline) {
        boolean tracked = notification.id() > 0;
        Set<String> done = tracked ? state.progress(notification.id()) : new java.util.LinkedHashSet<>();
        for (int planning = 0; planning < 4; planning++) {
            List<Unit> units = units(notification);
            List<Action> plan = plan(units);
            boolean replan = false;
            for (Action action : plan) {
                Unit unit = units.get(action.unit());
                String signature = action.signature(unit.key());
                if (done.contains(signature)) {
                    continue;
                }
                Outcome outcome = execute(action, deadline);
                if (outcome instanceof Stop stop) {
                    if (tracked && stop.result() instanceof DeliveryResult.Permanent && !done.isEmpty()) {
                        state.clearProgress(notification.id()); // dead-lettered: a manual retry starts afresh
                    }
                    return stop;
                }
                if (outcome instanceof CannotEdit) {
                    // too old or deleted: from now on this group's resolve is a new message replying to it
                    state.ref(unit.key()).ifPresent(ref -> state.putRef(unit.key(), ref.asUneditable(), unit.group()));
                    replan = true;
                    break;
                }
                Sent sent = (Sent) outcome;
                done.add(signature);
                if (tracked && plan.size() > 1) {
                    state.putProgress(notification.id(), done, notification.group());
                }
                remember(unit, action, sent);
            }
            if (!replan) {
                if (tracked && (plan.size() > 1 || !done.isEmpty())) {
                    state.clearProgress(notification.id());
                }
                return new Sent(0, chat());
            }
        }
        return new Stop(DeliveryResult.retry("Telegram kept refusing to edit the firing message"), false);
    }

    /** Keeps the firing message's id for the resolve; forgets it once the resolve went out. */
    private void remember(Unit unit, Action action, Sent sent) {
        if (action.firingPart()) {
            Optional<TelegramChatState.Ref> previous = action.part() == 0 ? Optional.empty() : state.ref(unit.key());
            TelegramChatState.Ref ref = previous.filter(r -> r.chat().equals(sent.chat()) && !r.digest())
                    .map(r -> r.plus(sent.messageId()))
                    .orElseGet(() -> new TelegramChatState.Ref(sent.chat(), List.of(sent.messageId()), false, false));
            state.putRef(unit.key(), ref, unit.group());
        } else if (action.lastOfUnit()) {
            state.removeRef(unit.key());
        }
    }

    // ---- what to send

    /**
     * The groups a notification is sent as: itself, or one per alert with {@code message-per-alert} — then
     * at most {@code max-messages}, the last of them holding every alert that did not get its own.
     */
    private List<Unit> units(AlertNotification notification) {
        AlertGroup group = notification.group();
        String identity = group.groupKey().isEmpty()
                ? group.receiver() + new TreeMap<>(group.groupLabels())
                : group.groupKey();
        if (!settings.messagePerAlert()) {
            return List.of(new Unit(identity, group, false));
        }
        List<Alert> alerts = group.alerts();
        if (alerts.size() > renderer.maxMessages()) {
            // an alert that already has a message of its own keeps it, so that its resolve edits that message
            Map<Alert, Boolean> known = new java.util.IdentityHashMap<>();
            alerts.forEach(a -> known.put(a, state.ref(identity + "\n" + alertIdentity(a)).isPresent()));
            alerts = alerts.stream().sorted(java.util.Comparator.comparing(a -> !known.get(a))).toList();
        }
        int own = alerts.size() <= renderer.maxMessages() ? alerts.size() : renderer.maxMessages() - 1;
        List<Unit> units = new ArrayList<>();
        for (Alert alert : alerts.subList(0, own)) {
            units.add(new Unit(identity + "\n" + alertIdentity(alert), part(group, List.of(alert)), false));
        }
        if (own < alerts.size()) {
            units.add(new Unit(identity + "\n(more)", part(group, alerts.subList(own, alerts.size())), true));
        }
        return units;
    }

    private static String alertIdentity(Alert alert) {
        return alert.fingerprint() != null && !alert.fingerprint().isEmpty()
                ? alert.fingerprint() : new TreeMap<>(alert.labels()).toString();
    }

    private static AlertGroup part(AlertGroup group, List<Alert> alerts) {
        String status = alerts.stream().allMatch(Alert::isResolved) ? "resolved" : "firing";
        Alert first = alerts.get(0);
        return new AlertGroup(group.receiver(), status, alerts, group.groupLabels(),
                alerts.size() == 1 ? first.labels() : group.commonLabels(),
                alerts.size() == 1 ? first.annotations() : group.commonAnnotations(), group.externalURL(),
                group.version(), group.groupKey(), 0L, group.notificationReason(), group.routeLabels());
    }

    private List<Action> plan(List<Unit> units) {
        List<Action> plan = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            Unit unit = units.get(u);
            AlertGroup group = unit.group();
            List<TelegramMessage> messages = unit.overflow() ? List.of(renderer.overflow(group)) : renderer.render(group);
            if (!group.isResolved()) {
                sendAll(plan, u, true, messages, null);
                continue;
            }
            Optional<TelegramChatState.Ref> ref = settings.resolvedMode() == ResolvedMode.NEW ? Optional.empty()
                    : state.ref(unit.key());
            if (ref.isEmpty()) {
                sendAll(plan, u, false, messages, null);
            } else if (ref.get().digest() || ref.get().uneditable()) {
                sendAll(plan, u, false, messages, ref.get().first());
            } else {
                boolean reply = settings.resolvedMode() == ResolvedMode.REPLY;
                TelegramMessage edit = unit.overflow() ? messages.get(0) : renderer.resolvedEdit(group);
                plan.add(new Action(Kind.EDIT, u, 0, false, !reply, edit, ref.get().first(), ref.get().chat()));
                if (reply) {
                    plan.add(new Action(Kind.SEND, u, 1, false, true, renderer.resolvedReply(group), ref.get().first(), null));
                }
            }
        }
        return plan;
    }

    private static void sendAll(List<Action> plan, int unit, boolean firing, List<TelegramMessage> messages, Long replyTo) {
        for (int p = 0; p < messages.size(); p++) {
            plan.add(new Action(Kind.SEND, unit, p, firing, p == messages.size() - 1, messages.get(p),
                    p == 0 ? replyTo : null, null));
        }
    }

    // ---- one Bot API call, with everything that can happen to it

    private Outcome execute(Action action, Instant deadline) {
        String target = action.kind() == Kind.EDIT ? action.chat() : chat();
        int variant = 0;
        boolean migrated = false;
        for (int call = 0; call < 8; call++) {
            Outcome waited = awaitSlot(target, deadline);
            if (waited instanceof Stop stop) {
                return stop;
            }
            TelegramRateLimiter.Slot slot = ((Slot) waited).slot();
            TelegramResponse response = api.call(action.kind() == Kind.EDIT ? "editMessageText" : "sendMessage",
                    parameters(action, target, variant));
            if (response instanceof TelegramResponse.Failure failure && failure.notSent()) {
                slot.release();
            } else {
                slot.complete();
            }
            if (response instanceof TelegramResponse.Ok ok) {
                long id = ok.messageId() != 0 ? ok.messageId() : action.kind() == Kind.EDIT ? action.target() : 0;
                return new Sent(id, target);
            }
            if (response instanceof TelegramResponse.Failure failure) {
                return new Stop(DeliveryResult.retry("Telegram API unreachable: " + failure.message()), true);
            }
            TelegramResponse.Error error = (TelegramResponse.Error) response;
            if (error.code() == 429) {
                Duration wait = error.retryAfter() != null ? error.retryAfter() : DEFAULT_429_WAIT;
                Instant until = clock.instant().plus(wait);
                limiter.blockUntil(bot, target, until);
                state.putRetryUntil(target, until);
                return new Stop(DeliveryResult.retryAfter("429 " + error.description(), wait), true);
            }
            if (error.migrateToChatId() != null && !migrated) {
                migrated = true;
                target = migrate(target, error.migrateToChatId());
                continue;
            }
            if (action.kind() == Kind.EDIT && error.descriptionContains("message is not modified")) {
                return new Sent(action.target(), target);
            }
            if (chatLevel(error)) {
                return new Stop(DeliveryResult.permanent(reason(error)), true);
            }
            if (error.code() == 400 && action.kind() == Kind.EDIT) {
                log.info("Channel {}: cannot edit message {} in chat {} ({}); sending the resolve as a new message",
                        channel, action.target(), target, error);
                return new CannotEdit();
            }
            if (error.code() == 400 && variant < MAX_VARIANT) {
                variant++;
                log.warn("Channel {}: Telegram refused a message ({}); sending it again {}", channel, error,
                        variant == 1 ? "without buttons" : "as plain text");
                continue;
            }
            if (error.code() == 400) {
                return new Stop(DeliveryResult.permanent(reason(error)), false);
            }
            return new Stop(DeliveryResult.retry(reason(error)), true);
        }
        return new Stop(DeliveryResult.retry("Telegram API: too many attempts for one message"), true);
    }

    /** Waits for the rate limiter if that is short; otherwise hands the rest back to the core. */
    private Outcome awaitSlot(String target, Instant deadline) {
        List<TelegramRateLimiter.Limit> chatLimits = new ArrayList<>();
        TelegramSettings.RateLimit limits = settings.rateLimit();
        chatLimits.add(new TelegramRateLimiter.Limit(limits.perChat(), limits.perChatWindow()));
        if (settings.isGroupChat(target)) {
            chatLimits.add(new TelegramRateLimiter.Limit(limits.perGroup(), limits.perGroupWindow()));
        }
        TelegramRateLimiter.Limit botLimit = new TelegramRateLimiter.Limit(limits.perBot(), limits.perBotWindow());
        for (int round = 0; round < 1000; round++) {
            TelegramRateLimiter.Acquired acquired = limiter.tryAcquire(bot, target, chatLimits, botLimit);
            if (acquired.granted()) {
                return new Slot(acquired.slot());
            }
            Duration delay = acquired.delay();
            if (delay.compareTo(limits.maxWait()) > 0 || clock.instant().plus(delay).isAfter(deadline)) {
                Instant blocked = limiter.blockedUntil(bot, target);
                String why = blocked != null ? "429 Too Many Requests: Telegram asked to wait until " + blocked
                        : "rate limit for chat " + target + ": next message allowed in " + delay.toMillis() + " ms";
                return new Stop(DeliveryResult.retryAfter(why, delay), true);
            }
            try {
                Thread.sleep(Math.max(1, delay.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Stop(DeliveryResult.retry("interrupted while waiting for the rate limit"), true);
            }
        }
        return new Stop(DeliveryResult.retry("rate limiter did not grant a slot"), true);
    }

    private String migrate(String from, String to) {
        state.putMigratedChat(settings.chatId(), to);
        chat = to;
        log.warn("Channel {}: Telegram chat {} was upgraded to a supergroup with id {}; sending there from now on. "
                + "Update the configuration: relay.channels.{}.chat-id: \"{}\"", channel, from, to, channel, to);
        return to;
    }

    private static boolean chatLevel(TelegramResponse.Error error) {
        if (error.code() == 401 || error.code() == 403 || error.code() == 404) {
            return true;
        }
        return error.code() == 400 && CHAT_LEVEL_400.stream().anyMatch(error::descriptionContains);
    }

    private String reason(TelegramResponse.Error error) {
        String hint = switch (error.code()) {
            case 401, 404 -> " (check relay.channels." + channel + ".bot-token and api-url)";
            case 403 -> " (add the bot to the chat again, or unblock it)";
            default -> error.descriptionContains("chat not found") ? " (check relay.channels." + channel + ".chat-id)"
                    : error.descriptionContains("thread not found") ? " (check relay.channels." + channel + ".message-thread-id)"
                    : "";
        };
        return error.code() + " " + error.description() + hint;
    }

    private Map<String, Object> parameters(Action action, String target, int variant) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("chat_id", target.matches("-?\\d+") ? (Object) Long.parseLong(target) : target);
        TelegramMessage message = action.message();
        if (action.kind() == Kind.EDIT) {
            p.put("message_id", action.target());
        } else if (settings.messageThreadId() != null) {
            p.put("message_thread_id", settings.messageThreadId());
        }
        if (variant < 2) {
            p.put("text", message.html());
            p.put("parse_mode", "HTML");
        } else {
            p.put("text", plainText(message.html()));
        }
        p.put("link_preview_options", Map.of("is_disabled", true));
        if (action.kind() == Kind.SEND) {
            if (message.silent()) {
                p.put("disable_notification", true);
            }
            if (action.target() != null) {
                p.put("reply_parameters", Map.of("message_id", action.target(), "allow_sending_without_reply", true));
            }
        }
        if (variant == 0 && !message.buttons().isEmpty()) {
            p.put("reply_markup", Map.of("inline_keyboard", List.of(message.buttons().stream()
                    .map(b -> Map.of("text", b.text(), "url", b.url())).toList())));
        }
        return p;
    }

    /** The message without markup, for the last-resort plain-text send. */
    static String plainText(String html) {
        String text = html.replaceAll("<[^>]*>", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
        return TelegramHtml.cut(text, TelegramMessage.MAX_LENGTH);
    }

    private static Instant laterOf(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static void fill(DeliveryResult[] results, DeliveryResult result) {
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                results[i] = result;
            }
        }
    }

    // ---- small types

    /** @param overflow the alerts of a {@code message-per-alert} group beyond its last own message, in short */
    private record Unit(String key, AlertGroup group, boolean overflow) {
    }

    private enum Kind { SEND, EDIT }

    /**
     * One Bot API call of a plan.
     *
     * @param target the message to edit ({@link Kind#EDIT}) or to reply to ({@link Kind#SEND}), or null
     * @param chat   the chat of the message to edit
     */
    private record Action(Kind kind, int unit, int part, boolean firingPart, boolean lastOfUnit, TelegramMessage message,
            Long target, String chat) {

        String signature(String unitKey) {
            return TelegramChatState.sha256(unitKey + "|" + kind + "|" + part + "|" + target + "|" + message.html())
                    .substring(0, 16);
        }
    }

    private sealed interface Outcome permits Sent, Stop, CannotEdit, Slot {
    }

    private record Sent(long messageId, String chat) implements Outcome {
    }

    /** Stop sending: the result for this notification, and whether the rest of the batch shares it. */
    private record Stop(DeliveryResult result, boolean chatLevel) implements Outcome {
    }

    private record CannotEdit() implements Outcome {
    }

    private record Slot(TelegramRateLimiter.Slot slot) implements Outcome {
    }

    @Override
    public String toString() {
        return "TelegramNotifier[" + channel + " -> " + settings.chatId() + "]";
    }
}
