package com.alertrelay.reconcile;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Alertmanager and what went wrong, never a credential. Requests go through {@link AlertmanagerHttp}.
 */
@Component
class AlertmanagerApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AlertmanagerHttp http;

    AlertmanagerApi(AlertmanagerHttp http) {
        this.http = http;
    }

    /** @throws AlertmanagerUnavailableException when it cannot be reached or does not answer 200 with a list */
    ActiveAlerts activeAlerts(URI alertmanager) {
        HttpRequest request = http.request(alertmanager,
                "/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true").GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlertmanagerUnavailableException(alertmanager, "interrupted");
        } catch (IOException e) {
            throw new AlertmanagerUnavailableException(alertmanager, http.describe(e));
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
