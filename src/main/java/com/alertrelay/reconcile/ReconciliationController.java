package com.alertrelay.reconcile;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/reconciliation}: whether the relay reconciles with Alertmanager, its last run, what it resolved. */
@RestController
class ReconciliationController {

    private final AlertmanagerProperties properties;
    private final Reconciler reconciler;

    ReconciliationController(AlertmanagerProperties properties, Reconciler reconciler) {
        this.properties = properties;
        this.reconciler = reconciler;
    }

    @GetMapping("/api/reconciliation")
    Map<String, Object> reconciliation() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("enabled", properties.enabled());
        answer.put("alertmanagers", properties.urls().stream().map(AlertmanagerHttp::shown).toList());
        answer.put("interval", seconds(properties.reconcileInterval()));
        answer.put("resolveGrace", seconds(properties.resolveGrace()));
        answer.put("lastRun", reconciler.lastRun().orElse(null));
        answer.put("resolved", reconciler.recent());
        return answer;
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + "s";
    }
}
