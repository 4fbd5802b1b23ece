package com.alertrelay.reconcile;

import java.util.Map;
import java.util.Set;

import com.alertrelay.notify.Alert;

/**
 * What every configured Alertmanager still holds: active, suppressed (silenced or inhibited) and unprocessed
 * alerts, by fingerprint and by label set (an alert that came without a fingerprint is matched by its labels).
 */
record ActiveAlerts(Set<String> fingerprints, Set<Map<String, String>> labelSets) {

    boolean contains(Alert alert) {
        if (alert.fingerprint() != null && !alert.fingerprint().isEmpty() && fingerprints.contains(alert.fingerprint())) {
            return true;
        }
        return labelSets.contains(alert.labels());
    }
}
