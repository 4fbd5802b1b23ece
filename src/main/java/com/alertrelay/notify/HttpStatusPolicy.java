package com.alertrelay.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an HTTP answer means for a delivery, the same for every notifier: 2xx delivered; 408, 425, 429 and 5xx
 * retried (after {@code Retry-After} when the server sent one); any other status dead at once, since sending
 * the same request again gets the same answer; no answer at all retried. A notifier overrides single statuses
 * where its API means something else by them.
 */
public final class HttpStatusPolicy {

    /** Longest Retry-After honoured; a server asking for more is retried with the core's backoff instead. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    private static final int MAX_BODY_IN_REASON = 200;

    private final Map<Integer, Function<HttpAnswer.Response, DeliveryResult>> overrides;
    private final Clock clock;

    private HttpStatusPolicy(Map<Integer, Function<HttpAnswer.Response, DeliveryResult>> overrides, Clock clock) {
        this.overrides = Map.copyOf(overrides);
        this.clock = clock;
    }

    public static HttpStatusPolicy standard() {
        return new HttpStatusPolicy(Map.of(), Clock.systemUTC());
    }

    /** This policy, but {@code status} means what {@code meaning} says. */
    public HttpStatusPolicy with(int status, Function<HttpAnswer.Response, DeliveryResult> meaning) {
        Map<Integer, Function<HttpAnswer.Response, DeliveryResult>> more = new HashMap<>(overrides);
        more.put(status, meaning);
        return new HttpStatusPolicy(more, clock);
    }

    HttpStatusPolicy withClock(Clock clock) {
        return new HttpStatusPolicy(overrides, clock);
    }

    /** @param what names the API in reasons, e.g. {@code "Slack webhook"} */
    public DeliveryResult classify(HttpAnswer answer, String what) {
        if (answer instanceof HttpAnswer.Unreachable unreachable) {
            return DeliveryResult.retry(what + " unreachable: " + unreachable.reason());
        }
        HttpAnswer.Response response = (HttpAnswer.Response) answer;
        Function<HttpAnswer.Response, DeliveryResult> override = overrides.get(response.status());
        if (override != null) {
            return override.apply(response);
        }
        int status = response.status();
        if (response.ok()) {
            return DeliveryResult.delivered();
        }
        String reason = reason(response, what);
        if (retryable(status)) {
            return retryAfter(response).map(after -> DeliveryResult.retryAfter(reason, after))
                    .orElseGet(() -> DeliveryResult.retry(reason));
        }
        return DeliveryResult.permanent(reason);
    }

    public static boolean retryable(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500;
    }

    /** {@code "503 from Slack webhook: <start of the body>"}; the body is already masked. */
    public static String reason(HttpAnswer.Response response, String what) {
        String body = response.body() == null ? "" : response.body().strip().replaceAll("\\s+", " ");
        if (body.length() > MAX_BODY_IN_REASON) {
            body = body.substring(0, MAX_BODY_IN_REASON) + "…";
        }
        return "HTTP " + response.status() + " from " + what + (body.isEmpty() ? "" : ": " + body);
    }

    /**
     * The server's {@code Retry-After} (seconds, or an HTTP date), at least one second, when present, readable
     * and at most an hour away.
     */
    public Optional<Duration> retryAfter(HttpAnswer.Response response) {
        return response.header("Retry-After").map(String::strip).flatMap(value -> {
            Duration after;
            if (value.matches("\\d{1,9}")) {
                after = Duration.ofSeconds(Long.parseLong(value));
            } else {
                try {
                    Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    after = Duration.between(clock.instant(), at);
                } catch (DateTimeParseException e) {
                    return Optional.empty();
                }
            }
            if (after.compareTo(MAX_RETRY_AFTER) > 0) {
                return Optional.empty();
            }
            return Optional.of(after.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : after);
        });
    }
}
