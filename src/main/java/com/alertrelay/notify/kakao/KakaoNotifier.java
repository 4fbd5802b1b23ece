package com.alertrelay.notify.kakao;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.ChannelState;
import com.alertrelay.notify.ChannelStatus;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.notify.Notifier;
import com.alertrelay.notify.RenderedMessage;

/**
 * One KakaoTalk channel. Sends each notification as its own message while the day's budget is below the
 * critical-only share; past it, critical notifications still get their own message and the others are held
 * ({@code retryAfter}, reason "held for digest …") and sent together as one digest message at most once per
 * {@code digest-interval}. With the budget used up, deliveries are dead-lettered with reason {@code quota}
 * (visible in {@code /api/deliveries?state=dead}, retryable by the operator) — nothing is dropped silently.
 */
final class KakaoNotifier implements Notifier {

    static final String DIGEST_LAST_SENT = "kakao.digest.last-sent-at";
    /** A held notification is sent at once rather than risk the core's max-age dead-lettering it. */
    private static final Duration MAX_AGE_SAFETY = Duration.ofMinutes(2);

    private static final Logger log = LoggerFactory.getLogger(KakaoNotifier.class);

    private final String channel;
    private final KakaoSettings settings;
    private final ChannelState state;
    private final KakaoTokens tokens;
    private final KakaoQuota quota;
    private final KakaoApi api;
    private final KakaoAuthApi auth;
    private final KakaoMessageRenderer renderer;
    private final Clock clock;
    private final Duration maxAge;
    private final Duration budget;

    /**
     * @param budget how long one {@link #deliverAll} may keep sending; what is left over goes back to the core
     *               (well under the delivery lease, so no other worker takes the batch while it is sent)
     */
    KakaoNotifier(String channel, KakaoSettings settings, ChannelState state, KakaoTokens tokens, KakaoQuota quota,
            KakaoApi api, KakaoAuthApi auth, KakaoMessageRenderer renderer, Clock clock, Duration maxAge,
            Duration budget) {
        this.channel = channel;
        this.settings = settings;
        this.state = state;
        this.tokens = tokens;
        this.quota = quota;
        this.api = api;
        this.auth = auth;
        this.renderer = renderer;
        this.clock = clock;
        this.maxAge = maxAge;
        this.budget = budget;
    }

    String channel() {
        return channel;
    }

    KakaoSettings settings() {
        return settings;
    }

    KakaoTokens tokens() {
        return tokens;
    }

    KakaoAuthApi auth() {
        return auth;
    }

    KakaoQuota quota() {
        return quota;
    }

    ChannelState state() {
        return state;
    }

    @Override
    public List<RenderedMessage> render(AlertNotification notification) {
        return List.of(new RenderedMessage("json", renderer.render(notification)));
    }

    /** Connected or not (the hint masked), and today's quota; a store that cannot answer leaves the quota out. */
    @Override
    public ChannelStatus status() {
        KakaoTokens.Status token = tokens.status();
        ChannelStatus.Authorization.State state = !token.authorized() ? ChannelStatus.Authorization.State.NOT_CONNECTED
                : token.dead() ? ChannelStatus.Authorization.State.REVOKED : ChannelStatus.Authorization.State.CONNECTED;
        ChannelStatus.Quota today;
        try {
            today = new ChannelStatus.Quota(quota.used(), quota.limit());
        } catch (RuntimeException storeUnavailable) {
            today = null;
        }
        return new ChannelStatus(new ChannelStatus.Authorization(state,
                token.reason() == null ? null : mask(token.reason())), today, null);
    }

    @Override
    public DeliveryResult deliver(AlertNotification notification) {
        return deliverAll(List.of(notification)).get(0);
    }

    @Override
    public List<DeliveryResult> deliverAll(List<AlertNotification> notifications) {
        DeliveryResult[] results = new DeliveryResult[notifications.size()];
        Instant deadline = clock.instant().plus(budget);
        List<Integer> held = new ArrayList<>();
        DeliveryResult.Retry outage = null;
        for (int i = 0; i < notifications.size(); i++) {
            AlertNotification notification = notifications.get(i);
            if (outage != null) {
                // Kakao is unreachable or failing right now: do not make every delivery wait for a timeout
                results[i] = DeliveryResult.retry("not tried after an earlier failure in this batch: " + outage.reason());
                continue;
            }
            if (outOfTime(deadline)) {
                results[i] = DeliveryResult.outOfTime();
                continue;
            }
            try {
                int used = quota.used();
                if (quota.exhausted(used)) {
                    results[i] = quotaDead(used);
                } else if (!quota.criticalOnly(used) || critical(notification)) {
                    results[i] = sendCounted(renderer.render(notification), deadline);
                } else {
                    held.add(i);
                }
            } catch (RuntimeException e) {
                results[i] = unexpected(e);
            }
            if (results[i] instanceof DeliveryResult.Retry retry && retry.after() == null) {
                outage = retry;
            }
        }
        if (!held.isEmpty()) {
            List<AlertNotification> heldNotifications = held.stream().map(notifications::get).toList();
            DeliveryResult result;
            if (outage != null) {
                result = DeliveryResult.retry("not tried after an earlier failure in this batch: " + outage.reason());
            } else if (outOfTime(deadline)) {
                result = DeliveryResult.outOfTime();
            } else {
                try {
                    result = digest(heldNotifications, deadline);
                } catch (RuntimeException e) {
                    result = unexpected(e);
                }
            }
            for (int i : held) {
                results[i] = result;
            }
        }
        return Arrays.stream(results).map(this::masked).toList();
    }

    /** A call started now could outlast the batch's send budget (the kit would refuse to start it). */
    private boolean outOfTime(Instant deadline) {
        return !api.fitsBefore(deadline);
    }

    /** Holds non-critical notifications until the next digest is due, or sends them as one digest now. */
    private DeliveryResult digest(List<AlertNotification> held, Instant deadline) {
        Instant now = clock.instant();
        Instant due = state.get(DIGEST_LAST_SENT)
                .map(v -> Instant.ofEpochMilli(Long.parseLong(v)).plus(settings.digestInterval()))
                .orElse(now);
        boolean sendNow = !due.isAfter(now)
                || held.stream().anyMatch(n -> n.acceptedAt().plus(maxAge).minus(MAX_AGE_SAFETY).isBefore(due));
        int used = quota.used();
        if (quota.exhausted(used)) {
            return quotaDead(used);
        }
        if (!sendNow) {
            return DeliveryResult.retryAfter("held for digest: KakaoTalk quota " + used + "/" + quota.limit()
                    + " used today, only critical alerts are sent on their own; next digest at " + due,
                    Duration.between(now, due));
        }
        DeliveryResult result = sendCounted(renderer.renderDigest(held, used + 1, quota.limit()), deadline);
        if (result instanceof DeliveryResult.Delivered) {
            state.put(DIGEST_LAST_SENT, String.valueOf(now.toEpochMilli()));
            log.info("KakaoTalk channel {}: sent one digest for {} held notifications (quota {}/{} today)", channel,
                    held.size(), used + 1, quota.limit());
        }
        return result;
    }

    /** Sends one message against today's budget; a send that fails gives its reservation back. */
    private DeliveryResult sendCounted(String templateObject, Instant deadline) {
        if (!quota.tryReserve()) {
            return quotaDead(quota.used());
        }
        try {
            send(templateObject, deadline);
            return DeliveryResult.delivered();
        } catch (KakaoException e) {
            if (e.kind() == KakaoException.Kind.QUOTA) {
                quota.exhaust();
            } else {
                quota.release();
            }
            return result(e);
        } catch (RuntimeException e) {
            quota.release();
            throw e;
        }
    }

    /** One send with a usable access token; on -401 one refresh and one more try. */
    private void send(String templateObject, Instant deadline) {
        String token = tokens.accessToken();
        try {
            post(token, templateObject, deadline);
        } catch (KakaoException e) {
            if (e.kind() != KakaoException.Kind.EXPIRED_ACCESS_TOKEN) {
                throw e;
            }
            String fresh = tokens.refreshAfterRejection(token);
            try {
                post(fresh, templateObject, deadline);
            } catch (KakaoException again) {
                if (again.kind() == KakaoException.Kind.EXPIRED_ACCESS_TOKEN) {
                    throw new KakaoException(KakaoException.Kind.TRANSIENT, again.errorCode(),
                            again.getMessage() + " (even right after a token refresh)");
                }
                throw again;
            }
        }
    }

    private void post(String accessToken, String templateObject, Instant deadline) {
        if (settings.mode() == KakaoSettings.Mode.MEMO) {
            api.sendToMe(accessToken, templateObject, deadline);
            return;
        }
        KakaoApi.FriendsResult sent = api.sendToFriends(accessToken, settings.receiverUuids(), templateObject, deadline);
        if (!sent.failed().isEmpty()) {
            log.warn("KakaoTalk channel {}: message reached {} of {} friends; the others failed with {}", channel,
                    sent.successful().size(), settings.receiverUuids().size(),
                    sent.firstFailure() == null ? "no reason" : mask(sent.firstFailure().getMessage()));
        }
    }

    private DeliveryResult result(KakaoException e) {
        String reason = e.getMessage();
        return switch (e.kind()) {
            case TRANSIENT, EXPIRED_ACCESS_TOKEN -> DeliveryResult.retry(reason);
            case QUOTA -> DeliveryResult.permanent("quota: Kakao answered that the daily message quota is used up ("
                    + reason + "); resets at 00:00 Asia/Seoul, then retry it with POST /api/deliveries/{id}/retry");
            case DEAD_REFRESH_TOKEN, NOT_AUTHORIZED -> DeliveryResult.permanent(reason);
            case PERMANENT -> DeliveryResult.permanent("-402".equals(e.errorCode())
                    ? reason + ": the Kakao user has not agreed to send KakaoTalk messages (talk_message); open /kakao/"
                            + channel + "/authorize in a browser and agree"
                    : reason);
        };
    }

    private DeliveryResult quotaDead(int used) {
        return DeliveryResult.permanent("quota: KakaoTalk daily limit of " + quota.limit() + " messages reached for channel '"
                + channel + "' (" + used + " sent today); resets at 00:00 Asia/Seoul, then retry it with "
                + "POST /api/deliveries/{id}/retry");
    }

    private DeliveryResult unexpected(RuntimeException e) {
        if (e instanceof KakaoException kakao) {
            return result(kakao);
        }
        log.warn("KakaoTalk channel {}: delivery failed: {}", channel, mask(e.getClass().getSimpleName() + ": " + e.getMessage()));
        return DeliveryResult.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    static boolean critical(AlertNotification notification) {
        return notification.group().alerts().stream()
                .anyMatch(a -> "critical".equals(a.label("severity").toLowerCase(Locale.ROOT)));
    }

    private DeliveryResult masked(DeliveryResult result) {
        if (result instanceof DeliveryResult.Retry retry) {
            return new DeliveryResult.Retry(mask(retry.reason()), retry.after());
        }
        if (result instanceof DeliveryResult.Permanent permanent) {
            return DeliveryResult.permanent(mask(permanent.reason()));
        }
        return result;
    }

    /** {@code text} with every secret this channel knows masked. */
    String tokensMask(String text) {
        return mask(text);
    }

    private String mask(String text) {
        return KakaoSecrets.mask(text, tokens.secrets());
    }
}
