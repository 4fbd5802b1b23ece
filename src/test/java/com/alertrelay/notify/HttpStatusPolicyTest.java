package com.alertrelay.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HttpStatusPolicyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC);
    private final HttpStatusPolicy policy = HttpStatusPolicy.standard().withClock(CLOCK);

    private static HttpAnswer.Response response(int status, String body, String retryAfter) {
        Map<String, List<String>> headers = retryAfter == null ? Map.of() : Map.of("Retry-After", List.of(retryAfter));
        return new HttpAnswer.Response(status, HttpHeaders.of(headers, (a, b) -> true), body);
    }

    @Test
    void twoHundredsAreDeliveredAndOtherClientErrorsAreDeadAtOnce() {
        assertThat(policy.classify(response(204, "", null), "Hook")).isEqualTo(DeliveryResult.delivered());
        assertThat(policy.classify(response(404, "no_such_hook", null), "Hook"))
                .isEqualTo(DeliveryResult.permanent("HTTP 404 from Hook: no_such_hook"));
        assertThat(policy.classify(response(400, "x".repeat(500), null), "Hook"))
                .isInstanceOfSatisfying(DeliveryResult.Permanent.class, p -> assertThat(p.reason()).hasSize(221).endsWith("x…"));
    }

    @Test
    void serverErrorsAndRateLimitsAreRetriedAfterWhatRetryAfterSays() {
        assertThat(policy.classify(response(503, "busy", "7"), "Hook"))
                .isEqualTo(DeliveryResult.retryAfter("HTTP 503 from Hook: busy", Duration.ofSeconds(7)));
        assertThat(policy.classify(response(429, "", "Fri, 04 Dec 2026 10:00:30 GMT"), "Hook"))
                .isEqualTo(DeliveryResult.retryAfter("HTTP 429 from Hook", Duration.ofSeconds(30)));
        assertThat(policy.classify(response(500, "", "soon"), "Hook")).isEqualTo(DeliveryResult.retry("HTTP 500 from Hook"));
        assertThat(policy.classify(response(429, "", "0"), "Hook"))
                .isEqualTo(DeliveryResult.retryAfter("HTTP 429 from Hook", Duration.ofSeconds(1)));
        assertThat(policy.classify(response(429, "", "86400"), "Hook")).as("a day is not honoured")
                .isEqualTo(DeliveryResult.retry("HTTP 429 from Hook"));
        assertThat(policy.classify(response(408, "", null), "Hook")).isInstanceOf(DeliveryResult.Retry.class);
    }

    @Test
    void noAnswerIsRetriedAndANotifierMayGiveAStatusItsOwnMeaning() {
        assertThat(policy.classify(new HttpAnswer.Unreachable("ConnectException: refused", true), "Hook"))
                .isEqualTo(DeliveryResult.retry("Hook unreachable: ConnectException: refused"));
        HttpStatusPolicy gone = policy.with(503, r -> DeliveryResult.permanent("maintenance forever"));
        assertThat(gone.classify(response(503, "", null), "Hook")).isEqualTo(DeliveryResult.permanent("maintenance forever"));
        assertThat(policy.classify(response(503, "", null), "Hook")).as("the original is unchanged")
                .isInstanceOf(DeliveryResult.Retry.class);
    }
}
