package com.alertrelay.reconcile;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Alertmanager's API v2 {@code GET /api/v2/alerts}, with every filter open (active, silenced, inhibited,
 * unprocessed): what it still holds. Resolved alerts are not in it. Any failure is an exception naming the
 * Alertmanager and what went wrong, never a credential.
 */
@Component
class AlertmanagerApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AlertmanagerProperties properties;
    private final HttpClient http;

    AlertmanagerApi(AlertmanagerProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The URL as it may be shown: without user info (credentials written into the URL). */
    static String shown(URI url) {
        if (url.getUserInfo() == null) {
            return url.toString();
        }
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** @throws AlertmanagerUnavailableException when it cannot be reached or does not answer 200 with a list */
    ActiveAlerts activeAlerts(URI alertmanager) {
        URI uri = URI.create(alertmanager.toString().replaceAll("/+$", "")
                + "/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(properties.timeout())
                .header("Accept", "application/json").GET();
        if (properties.bearerToken() != null && !properties.bearerToken().isBlank()) {
            request.header("Authorization", "Bearer " + properties.bearerToken());
        } else if (properties.username() != null && properties.password() != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (properties.username() + ":" + properties.password()).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlertmanagerUnavailableException(alertmanager, "interrupted");
        } catch (IOException e) {
            throw new AlertmanagerUnavailableException(alertmanager, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        if (response.statusCode() != 200) {
            throw new AlertmanagerUnavailableException(alertmanager, "HTTP " + response.statusCode());
        }
        JsonNode alerts;
        try {
            alerts = JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new AlertmanagerUnavailableException(alertmanager, "answer is not JSON");
        }
        if (!alerts.isArray()) {
            throw new AlertmanagerUnavailableException(alertmanager, "answer is not a list of alerts");
        }
        Set<String> fingerprints = new HashSet<>();
        Set<Map<String, String>> labelSets = new HashSet<>();
        for (JsonNode alert : alerts) {
            String fingerprint = alert.path("fingerprint").asString("");
            if (!fingerprint.isEmpty()) {
                fingerprints.add(fingerprint);
            }
            Map<String, String> labels = new HashMap<>();
            alert.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
            labelSets.add(labels);
        }
        return new ActiveAlerts(fingerprints, labelSets);
    }
}
