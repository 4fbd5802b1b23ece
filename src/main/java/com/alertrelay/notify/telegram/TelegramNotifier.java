package com.alertrelay.notify.telegram;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.ChannelState;
import com.alertrelay.notify.ChannelStatus;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.notify.Notifier;
import com.alertrelay.notify.RenderedMessage;
import com.alertrelay.notify.TemplateModel;

/**
 * One Telegram chat. Sends each notification as HTML message(s) ({@link TelegramPlanner}); on resolve edits the
 * firing message and replies to it; coalesces a backlog into digests ({@link TelegramDigest}); resumes a
 * multi-message notification after the messages an earlier attempt already sent; hands each Bot API call to
 * {@link TelegramSender}, which keeps under the rate limits and knows what Telegram's errors mean.
 * The bot token appears in no result, log line or exception that leaves this class.
 */
final class TelegramNotifier implements Notifier {

    private static final Logger log = LoggerFactory.getLogger(TelegramNotifier.class);

    private final String channel;
    private final TelegramSettings settings;
    private final TelegramDigest digest;
    private final TelegramPlanner planner;
    private final TelegramSender sender;
    private final TelegramChatState state;
    private final TelegramChatActions actions;
    private final ChannelState channelState;
    private final List<Duration> silences;
    private final TelegramMessageRenderer renderer;
    private final Clock clock;
    private final Duration budget;

    /**
     * @param budget how long one {@link #deliverAll} may keep sending; what is left over goes back to the core
     *               (well under the delivery lease)
     */
    TelegramNotifier(String channel, TelegramSettings settings, TelegramMessageRenderer renderer, TelegramSender sender,
            ChannelState channelState, Clock clock, Duration budget) {
        this(channel, settings, renderer, sender, channelState, clock, budget, List.of());
    }

    /** @param silences the durations of the silence buttons: none when no Alertmanager is configured (ack only) */
    TelegramNotifier(String channel, TelegramSettings settings, TelegramMessageRenderer renderer, TelegramSender sender,
            ChannelState channelState, Clock clock, Duration budget, List<Duration> silences) {
        this.silences = List.copyOf(silences);
        this.channel = channel;
        this.settings = settings;
        this.digest = new TelegramDigest(renderer);
        this.state = new TelegramChatState(channelState);
        this.actions = new TelegramChatActions(channelState);
        this.channelState = channelState;
        this.renderer = renderer;
        this.planner = new TelegramPlanner(settings, renderer, state, actions);
        this.sender = sender;
        this.clock = clock;
        this.budget = budget;
    }

    TelegramSettings settings() {
        return settings;
    }

    /** The chat messages go to: the configured one, or the supergroup it migrated to. */
    String chat() {
        return sender.chat();
    }

    /** Calls {@code getMe}: does the token work? */
    TelegramResponse checkToken() {
        return sender.checkToken();
    }

    @Override
    public List<RenderedMessage> render(AlertNotification notification) {
        return planner.plan(planner.units(notification), notification.note()).stream()
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
            String reason = sender.mask(e.getClass().getSimpleName() + ": " + e.getMessage());
            log.error("Channel {}: delivery failed: {}", channel, reason);
            fill(results, DeliveryResult.retry(reason));
        }
        return Arrays.asList(results);
    }

    /** Until the chat (or the bot) has a slot free: the core claims nothing before, so the backlog comes in one batch. */
    @Override
    public ChannelStatus status() {
        return new ChannelStatus(null, null, sender.rateLimitStatus());
    }

    @Override
    public Duration readyIn() {
        return sender.readyIn();
    }

    private void deliverInto(List<AlertNotification> notifications, DeliveryResult[] results) {
        Instant deadline = clock.instant().plus(budget);
        Optional<DeliveryResult> blocked = sender.blocked();
        if (blocked.isPresent()) {
            fill(results, blocked.get());
            return;
        }
        Batch batch = new Batch();
        List<Integer> alone = new ArrayList<>();
        if (notifications.size() >= settings.digestThreshold()) {
            Map<String, String> shared = TelegramDigest.shared(notifications.stream().map(AlertNotification::group).toList());
            List<Integer> inDigest = new ArrayList<>();
            List<TelegramDigest.Entry> entries = new ArrayList<>();
            for (int i = 0; i < notifications.size(); i++) {
                TelegramDigest.Entry entry = digest.entry(notifications.get(i).group(), shared, notifications.get(i).note());
                if (entry == null) {
                    alone.add(i);
                } else {
                    inDigest.add(i);
                    entries.add(entry);
                }
            }
            if (!inDigest.isEmpty() && !sendDigests(notifications, inDigest, entries, shared, results, deadline, batch)) {
                return;
            }
        } else {
            for (int i = 0; i < notifications.size(); i++) {
                alone.add(i);
            }
        }
        for (int i : alone) {
            if (batch.holdBack()) {
                results[i] = HELD_BACK;
                continue;
            }
            TelegramSender.Outcome outcome = deliverOne(notifications.get(i), deadline);
            batch.sent++;
            if (outcome instanceof TelegramSender.Stop stop) {
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

    /**
     * What one batch has sent so far. Once it has sent something, what would not fill a message is held back rather
     * than waited for: the next batch, claimed when the chat has a slot free, packs it together with whatever arrived
     * meanwhile, so in a storm the chat's few slots go to full messages, not to a trickle.
     */
    private final class Batch {
        int sent;

        /** Another notification on its own, after something was sent: only if a slot is free right now. */
        boolean holdBack() {
            return sent > 0 && !sender.readyIn().isZero();
        }

        /**
         * The next digest message, after something was sent: held back when it is the last (the rest that does not
         * fill a message) and would have to wait for its slot, or when a slot is further off than the notifier waits.
         */
        boolean holdBack(boolean last) {
            if (sent == 0) {
                return false;
            }
            Duration ready = sender.readyIn();
            return ready.compareTo(settings.rateLimit().maxWait()) > 0 || (last && !ready.isZero());
        }
    }

    private static final DeliveryResult HELD_BACK = DeliveryResult.deferred(
            "held back: the chat's rate limit has no slot free now; goes with the next batch, packed into a digest");

    /** @return false when the chat stopped taking messages (the rest of the batch is filled in) */
    private boolean sendDigests(List<AlertNotification> notifications, List<Integer> inDigest,
            List<TelegramDigest.Entry> entries, Map<String, String> shared, DeliveryResult[] results, Instant deadline,
            Batch batch) {
        List<AlertGroup> groups = inDigest.stream().map(i -> notifications.get(i).group()).toList();
        List<TelegramDigest.Message> messages = digest.pack(groups, entries, shared);
        log.info("Channel {}: {} notifications waiting for chat {}, {} digest message(s) of them", channel,
                notifications.size(), chat(), messages.size());
        for (int m = 0; m < messages.size(); m++) {
            TelegramDigest.Message message = messages.get(m);
            if (batch.holdBack(m == messages.size() - 1)) {
                for (int k = m; k < messages.size(); k++) {
                    messages.get(k).groups().forEach(j -> results[inDigest.get(j)] = HELD_BACK);
                }
                break;
            }
            TelegramSender.Outcome outcome = sender.execute(new TelegramPlanner.Action(TelegramPlanner.Kind.SEND, -1, 0,
                    false, false, message.message(), null, null), deadline);
            batch.sent++;
            if (outcome instanceof TelegramSender.Stop stop) {
                fill(results, stop.result());
                return false;
            }
            TelegramSender.Sent sent = (TelegramSender.Sent) outcome;
            for (int j : message.groups()) {
                int index = inDigest.get(j);
                AlertNotification notification = notifications.get(index);
                for (TelegramPlanner.Unit unit : planner.units(notification)) {
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
    private TelegramSender.Outcome deliverOne(AlertNotification notification, Instant deadline) {
        boolean tracked = notification.id() > 0;
        Set<String> done = tracked ? state.progress(notification.id()) : new LinkedHashSet<>();
        for (int planning = 0; planning < 4; planning++) {
            List<TelegramPlanner.Unit> units = planner.units(notification);
            List<TelegramPlanner.Action> plan = planner.plan(units, notification.note());
            boolean replan = false;
            for (TelegramPlanner.Action action : plan) {
                TelegramPlanner.Unit unit = units.get(action.unit());
                String signature = action.signature(unit.key());
                if (done.contains(signature)) {
                    continue;
                }
                String actionId = null;
                if (settings.actsFromChat() && action.kind() == TelegramPlanner.Kind.SEND && action.firingPart()
                        && action.part() == 0 && !unit.overflow()) {
                    actionId = TelegramChatActions.newId();
                    action = action.withMessage(action.message().withActions(TelegramChatActions.buttons(actionId,
                            matchers(unit).isEmpty() ? List.of() : silences, false)));
                }
                TelegramSender.Outcome outcome = sender.execute(action, deadline);
                if (outcome instanceof TelegramSender.Sent sent && actionId != null) {
                    TelegramMessage m = action.message();
                    actions.save(new TelegramChatActions.Target(actionId, unit.key(), unit.group().groupHash(), sent.chat(),
                            sent.messageId(), m.html(), m.length(), m.buttons(), m.silent(), matchers(unit),
                            TemplateModel.title(unit.group(), unit.group().commonLabels()), null, null, null, null, null));
                }
                if (outcome instanceof TelegramSender.Stop stop) {
                    if (tracked && stop.result() instanceof DeliveryResult.Permanent && !done.isEmpty()) {
                        state.clearProgress(notification.id()); // dead-lettered: a manual retry starts afresh
                    }
                    return stop;
                }
                if (outcome instanceof TelegramSender.CannotEdit) {
                    // too old or deleted: from now on this group's resolve is a new message replying to it
                    state.ref(unit.key()).ifPresent(ref -> state.putRef(unit.key(), ref.asUneditable(), unit.group()));
                    replan = true;
                    break;
                }
                TelegramSender.Sent sent = (TelegramSender.Sent) outcome;
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
                return new TelegramSender.Sent(0, chat());
            }
        }
        return new TelegramSender.Stop(DeliveryResult.retry("Telegram kept refusing to edit the firing message"), false);
    }

    /**
     * The labels a silence from this message matches with equality: one alert's own labels (a message per alert), or
     * the group's labels — what Alertmanager grouped by — with the alertname when the group shares one. So the silence
     * covers the group's alerts and no others. Empty for a group without group labels: it gets no silence buttons.
     */
    static Map<String, String> matchers(TelegramPlanner.Unit unit) {
        AlertGroup group = unit.group();
        if (group.alerts().size() == 1 && unit.key().contains("\n")) {
            return new java.util.TreeMap<>(group.alerts().get(0).labels());
        }
        Map<String, String> matchers = new java.util.TreeMap<>(group.groupLabels());
        String alertname = group.commonLabels().getOrDefault("alertname", "");
        if (!alertname.isEmpty()) {
            matchers.put("alertname", alertname);
        }
        matchers.values().removeIf(String::isEmpty);
        if (group.groupLabels().isEmpty()) {
            // a route without group_by: the group is every alert of the route, which no set of label matchers
            // describes exactly — no silence button rather than one that silences more, or less, than the group
            return Map.of();
        }
        return matchers;
    }

    TelegramChatActions actions() {
        return actions;
    }

    /** Whether {@code messageId} is still the unit's firing message (not resolved, not forgotten). */
    boolean isFiringMessage(String unit, long messageId) {
        return state.ref(unit).map(r -> r.messageIds().contains(messageId)).orElse(false);
    }

    /** The durations of the silence buttons; empty when there is no Alertmanager to silence in. */
    List<Duration> silenceDurations() {
        return silences;
    }

    ChannelState channelState() {
        return channelState;
    }

    TelegramMessageRenderer renderer() {
        return renderer;
    }

    TelegramSender sender() {
        return sender;
    }

    String channel() {
        return channel;
    }

    /** Keeps the firing message's id for the resolve; forgets it once the resolve went out. */
    private void remember(TelegramPlanner.Unit unit, TelegramPlanner.Action action, TelegramSender.Sent sent) {
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

    private static void fill(DeliveryResult[] results, DeliveryResult result) {
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                results[i] = result;
            }
        }
    }

    @Override
    public String toString() {
        return "TelegramNotifier[" + channel + " -> " + settings.chatId() + "]";
    }
}
