package com.alertrelay.notify.webhook;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.ChannelState;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.notify.HttpAnswer;
import com.alertrelay.notify.HttpStatusPolicy;
import com.alertrelay.notify.Notifier;
import com.alertrelay.notify.NotifierHttp;
import com.alertrelay.notify.RateLimiter;
import com.alertrelay.notify.RenderedMessage;
import com.alertrelay.notify.Sha256;

/**
 * One {@code webhook} channel: each notification is one JSON POST. The kit decides what an answer means (2xx
 * delivered; 408, 425, 429, 5xx and no answer retried, after {@code Retry-After} when sent; any other status dead); a
 * 429 blocks the URL for every channel and replica until the time it asked for.
 */
final class WebhookNotifier implements Notifier {

    /** How long a 429 without {@code Retry-After} blocks the URL. */
    static final Duration DEFAULT_429_WAIT = Duration.ofSeconds(10);

    private final URI url;
    private final String what;
    private final Map<String, String> headers;
    private final WebhookBody body;
    private final NotifierHttp http;
    private final HttpStatusPolicy policy = HttpStatusPolicy.standard();
    private final RateLimiter limiter;
    private final String limiterKey;
    private final ChannelState state;
    private final Clock clock;
    private final Duration budget;

    /** @param what names the receiver in delivery reasons ({@code webhook hooks.slack.com}): never the URL's path */
    WebhookNotifier(URI url, String what, Map<String, String> headers, WebhookBody body, NotifierHttp http,
            RateLimiter limiter, ChannelState state, Clock clock, Duration budget) {
        this.url = url;
        this.what = what;
        this.headers = headers;
        this.body = body;
        this.http = http;
        this.limiter = limiter;
        this.limiterKey = "webhook:" + Sha256.hex(url.toString()).substring(0, 16);
        this.state = state;
        this.clock = clock;
        this.budget = budget;
    }

    @Override
    public List<RenderedMessage> render(AlertNotification notification) {
        return List.of(new RenderedMessage("json", body.render(notification)));
    }

    @Override
    public DeliveryResult deliver(AlertNotification notification) {
        return send(notification, null);
    }

    /** One by one; once the URL fails (no answer, 5xx, 429) the rest of the batch is not tried. */
    @Override
    public List<DeliveryResult> deliverAll(List<AlertNotification> notifications) {
        Instant deadline = clock.instant().plus(budget);
        List<DeliveryResult> results = new ArrayList<>(notifications.size());
        DeliveryResult.Retry outage = null;
        for (AlertNotification notification : notifications) {
            DeliveryResult result;
            if (outage != null) {
                result = DeliveryResult.retryAfter("not tried after an earlier failure in this batch: "
                        + outage.reason(), outage.after());
            } else if (!http.fitsBefore(deadline)) {
                result = DeliveryResult.outOfTime();
            } else {
                try {
                    result = send(notification, deadline);
                } catch (RuntimeException e) {
                    result = thrown(notification, e);
                }
                if (result instanceof DeliveryResult.Retry retry) {
                    outage = retry;
                }
            }
            results.add(result);
        }
        return results;
    }

    private DeliveryResult send(AlertNotification notification, Instant deadline) {
        Optional<Instant> blocked = limiter.blockedUntil(limiterKey, state);
        if (blocked.isPresent()) {
            return DeliveryResult.retryAfter("HTTP 429 from " + what + ": asked to wait until " + blocked.get(),
                    Duration.between(clock.instant(), blocked.get()));
        }
        HttpAnswer answer = http.post(url, "application/json", body.render(notification), headers, deadline);
        if (answer instanceof HttpAnswer.Response response && response.status() == 429) {
            Duration wait = policy.retryAfter(response).orElse(DEFAULT_429_WAIT);
            limiter.blockUntil(limiterKey, clock.instant().plus(wait), state);
            return DeliveryResult.retryAfter(HttpStatusPolicy.reason(response, what), wait);
        }
        return policy.classify(answer, what);
    }
}
