package com.alertrelay.notify;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The HTTP client of notifiers: the JDK's, with a connect timeout, a per-call timeout that never reaches past
 * the delivery's deadline, no redirects (a redirect could carry a token elsewhere), and answers instead of
 * exceptions. Every body and reason it hands out has the notifier's secrets masked. It does not use Spring's
 * RestClient, which logs request URLs at DEBUG and puts them into exception messages — and a bot token is
 * part of Telegram's URLs.
 */
public final class NotifierHttp {

    private final HttpClient http;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final SecretMask mask;
    private final Clock clock;

    public NotifierHttp(Duration connectTimeout, Duration readTimeout, SecretMask mask, Clock clock) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.mask = mask;
        this.clock = clock;
    }

    public NotifierHttp(Duration connectTimeout, Duration readTimeout, SecretMask mask) {
        this(connectTimeout, readTimeout, mask, Clock.systemUTC());
    }

    public SecretMask mask() {
        return mask;
    }

    /**
     * Fails startup unless one call (connect and read timeout) fits in a delivery's send budget: a call is only
     * started when it cannot outlast the budget, so one that never fits would never be made.
     */
    public static void checkFitsBudget(String propertyPrefix, Duration connectTimeout, Duration readTimeout, Duration budget) {
        Duration call = connectTimeout.plus(readTimeout);
        if (call.compareTo(budget) >= 0) {
            throw new IllegalStateException(propertyPrefix + ".read-timeout: connect-timeout + read-timeout (" + call
                    + ") must stay under half of relay.delivery.lease (" + budget + ")");
        }
    }

    /** Whether a call started now ends before {@code deadline} even if it takes its full timeouts (null: yes). */
    public boolean fitsBefore(Instant deadline) {
        return deadline == null || !clock.instant().plus(connectTimeout).plus(readTimeout).isAfter(deadline);
    }

    /**
     * POSTs {@code body} (UTF-8) with the given content type and headers.
     *
     * @param deadline the end of the delivery's send budget: a call that could outlast it (connect and read
     *                 timeout) is not started but answered {@link HttpAnswer.Unreachable} with {@code notSent}.
     *                 A started call is never cut short, since a message may already be on its way. Null: no
     *                 deadline.
     */
    public HttpAnswer post(URI uri, String contentType, String body, Map<String, String> headers, Instant deadline) {
        if (!fitsBefore(deadline)) {
            return new HttpAnswer.Unreachable("not started: it could outlast this delivery's send budget", true);
        }
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(readTimeout)
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            headers.forEach(request::header);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new HttpAnswer.Response(response.statusCode(), response.headers(), mask.apply(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HttpAnswer.Unreachable("interrupted", false);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            return new HttpAnswer.Unreachable(describe(e), true);
        } catch (IOException | RuntimeException e) {
            return new HttpAnswer.Unreachable(describe(e), false);
        }
    }

    /** Exception class, message and cause, masked: safe for a delivery reason or a log line. */
    public String describe(Throwable e) {
        StringBuilder message = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            message.append(": ").append(e.getMessage());
        } else if (e instanceof ConnectException) {
            message.append(": connection refused");
        }
        Throwable cause = e.getCause();
        if (cause != null && cause != e && cause.getMessage() != null && !cause.getMessage().equals(e.getMessage())) {
            message.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append(')');
        }
        return mask.apply(message.toString());
    }
}
