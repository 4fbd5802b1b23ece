package com.alertrelay.testsupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** Builds Alertmanager-shaped webhook bodies for tests that need many distinct groups. */
public final class Payloads {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Payloads() {
    }

    /** One alert group of {@code alerts} alerts named {@code alertname}, firing or resolved. */
    public static String group(String status, String alertname, String groupKey, String severity, int alerts) {
        List<Map<String, Object>> list = new java.util.ArrayList<>();
        for (int i = 0; i < alerts; i++) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("alertname", alertname);
            labels.put("instance", "host-" + i + ":9100");
            labels.put("severity", severity);
            Map<String, Object> alert = new LinkedHashMap<>();
            alert.put("status", status);
            alert.put("labels", labels);
            alert.put("annotations", Map.of("summary", alertname + " on host-" + i + " (한국어 <b>&</b>)"));
            alert.put("startsAt", "2026-11-25T17:00:00.123456789+09:00");
            alert.put("endsAt", "resolved".equals(status) ? "2026-11-25T17:05:00+09:00" : "0001-01-01T00:00:00Z");
            alert.put("generatorURL", "http://prometheus:9090/graph?g0.expr=up");
            alert.put("fingerprint", Integer.toHexString((groupKey + i).hashCode()));
            list.add(alert);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("receiver", "relay");
        body.put("status", status);
        body.put("alerts", list);
        body.put("groupLabels", Map.of("alertname", alertname));
        body.put("commonLabels", Map.of("alertname", alertname, "severity", severity));
        body.put("commonAnnotations", Map.of());
        body.put("externalURL", "http://alertmanager:9093");
        body.put("version", "4");
        body.put("groupKey", groupKey);
        body.put("truncatedAlerts", 0);
        return JSON.writeValueAsString(body);
    }

    public static String firing(String groupKey) {
        return group("firing", "TestAlert", groupKey, "critical", 1);
    }

    public static String resolved(String groupKey) {
        return group("resolved", "TestAlert", groupKey, "critical", 1);
    }
}
