package com.alertrelay.reconcile;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.stereotype.Component;

import com.alertrelay.notify.SecretMask;

/**
 * What every client of Alertmanager's API v2 shares — reconciliation here, silences in
 * {@code com.alertrelay.silence}: the configured URLs ({@code relay.alertmanager.urls}), one HTTP client (HTTP/1.1,
 * no redirects followed), the credentials on every request, every exchange bounded by
 * {@code relay.alertmanager.timeout} (connecting, the answer and its body), and the one way to show a URL or a
 * failure without a credential in it.
 */
@Component
public final class AlertmanagerHttp {

    private final AlertmanagerProperties properties;
    private final HttpClient http;
    private final SecretMask secrets;

    public AlertmanagerHttp(AlertmanagerProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        List<String> secret = new ArrayList<>(List.of(nullToEmpty(properties.bearerToken()),
                nullToEmpty(properties.password())));
        String basic = basic();
        if (basic != null) {
            secret.add(basic);
        }
        properties.urls().stream().map(URI::getRawUserInfo).filter(info -> info != null).forEach(secret::add);
        this.secrets = SecretMask.of(secret.toArray(String[]::new));
    }

    /** The configured Alertmanagers, in order; empty when none is. */
    public List<URI> urls() {
        return properties.urls();
    }

    /** For one request to one Alertmanager. */
    public Duration timeout() {
        return properties.timeout();
    }

    /**
     * A request for {@code pathAndQuery} (e.g. {@code /api/v2/silences}) on {@code alertmanager}, with the timeout,
     * {@code Accept: application/json} and the credentials ({@code Authorization: Bearer}, or HTTP Basic).
     */
    public HttpRequest.Builder request(URI alertmanager, String pathAndQuery) {
        URI uri = URI.create(alertmanager.toString().replaceAll("/+$", "") + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(properties.timeout())
                .header("Accept", "application/json");
        if (properties.bearerToken() != null && !properties.bearerToken().isBlank()) {
            request.header("Authorization", "Bearer " + properties.bearerToken());
        } else if (basic() != null) {
            request.header("Authorization", "Basic " + basic());
        }
        return request;
    }

    /**
     * Sends {@code request} and reads the whole answer as UTF-8 text. The exchange, body included, ends within the
     * timeout: a server that sends its headers and then nothing more fails as a timeout too.
     *
     * @throws IOException          it could not be sent or no complete answer came in time ({@link #describe})
     * @throws InterruptedException the calling thread was interrupted; the exchange is cancelled
     */
    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            return answer.get(properties.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + human(properties.timeout()));
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    /** What went wrong, for messages: {@code connection refused}, {@code no answer within 10s} …, credentials masked. */
    public String describe(IOException e) {
        String why;
        if (e instanceof HttpConnectTimeoutException) {
            why = "no connection within " + human(properties.timeout());
        } else if (e instanceof HttpTimeoutException) {
            why = e.getMessage() != null && e.getMessage().startsWith("no complete answer") ? e.getMessage()
                    : "no answer within " + human(properties.timeout());
        } else if (e instanceof ConnectException) {
            why = e.getMessage() == null || e.getMessage().isBlank() ? "connection refused"
                    : "connection failed: " + e.getMessage();
        } else {
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return masked(why);
    }

    /** {@code text} with every configured credential (token, password, Basic value, user info in a URL) as ***. */
    public String masked(String text) {
        return secrets.apply(text);
    }

    /** The URL as it may be shown: without user info (credentials written into the URL). */
    public static String shown(URI url) {
        if (url.getUserInfo() == null) {
            return url.toString();
        }
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    private static String human(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private String basic() {
        if (properties.username() == null || properties.password() == null) {
            return null;
        }
        return Base64.getEncoder().encodeToString(
                (properties.username() + ":" + properties.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
