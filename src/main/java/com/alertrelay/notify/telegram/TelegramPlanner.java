package com.alertrelay.notify.telegram;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.AlertNotification;

/**
 * Decides what a notification becomes in the chat: which groups it is sent as ({@link Unit}s) and, for each,
 * the Bot API calls ({@link Action}s) — new messages for a firing group, and for a resolved one an edit of the
 * firing message (plus a reply), or a new message when there is nothing to edit.
 */
final class TelegramPlanner {

    private final TelegramSettings settings;
    private final TelegramMessageRenderer renderer;
    private final TelegramChatState state;
    private final TelegramChatActions actions;

    TelegramPlanner(TelegramSettings settings, TelegramMessageRenderer renderer, TelegramChatState state,
            TelegramChatActions actions) {
        this.settings = settings;
        this.renderer = renderer;
        this.state = state;
        this.actions = actions;
    }

    /**
     * A group a notification is sent as, under the key its firing message is remembered by.
     *
     * @param overflow the alerts of a {@code message-per-alert} group beyond its last own message, in short
     */
    record Unit(String key, AlertGroup group, boolean overflow) {
    }

    enum Kind { SEND, EDIT }

    /**
     * One Bot API call of a plan.
     *
     * @param target the message to edit ({@link Kind#EDIT}) or to reply to ({@link Kind#SEND}), or null
     * @param chat   the chat of the message to edit
     */
    record Action(Kind kind, int unit, int part, boolean firingPart, boolean lastOfUnit, TelegramMessage message,
            Long target, String chat) {

        Action withMessage(TelegramMessage other) {
            return new Action(kind, unit, part, firingPart, lastOfUnit, other, target, chat);
        }

        /** Identifies this call across attempts, so a retry skips what already went out. */
        String signature(String unitKey) {
            return TelegramChatState.sha256(unitKey + "|" + kind + "|" + part + "|" + target + "|" + message.html())
                    .substring(0, 16);
        }
    }

    /**
     * The groups a notification is sent as: itself, or one per alert with {@code message-per-alert} — then
     * at most {@code max-messages}, the last of them holding every alert that did not get its own.
     */
    List<Unit> units(AlertNotification notification) {
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
            Map<Alert, Boolean> known = new IdentityHashMap<>();
            alerts.forEach(a -> known.put(a, state.ref(identity + "\n" + alertIdentity(a)).isPresent()));
            alerts = alerts.stream().sorted(Comparator.comparing(a -> !known.get(a))).toList();
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

    /** @param note the notification's note (why the relay sends it), shown in its messages, or null */
    List<Action> plan(List<Unit> units, String note) {
        List<Action> plan = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            Unit unit = units.get(u);
            AlertGroup group = unit.group();
            List<TelegramMessage> messages = unit.overflow() ? List.of(renderer.overflow(group, note))
                    : renderer.render(group, note);
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
                TelegramMessage edit = unit.overflow() ? messages.get(0) : renderer.resolvedEdit(group, note);
                if (settings.actsFromChat()) {
                    TelegramMessage resolved = edit;
                    edit = actions.ack(unit.key()).flatMap(a -> resolved.plus(renderer.ackLine(a.by(), a.at()), List.of()))
                            .orElse(edit); // the ack stays visible on the resolved message
                }
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
}
