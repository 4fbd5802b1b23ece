package com.alertrelay.delivery;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeSet;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;

/**
 * A notification's alert labels as one short text, stored beside the deflated payload so that the console can list
 * and search notifications without inflating them: distinct {@code name=value} pairs, {@code alertname} first, then
 * sorted, separated by spaces, cut at a pair's end to at most {@value #MAX} characters.
 */
final class AlertLabels {

    static final int MAX = 500;

    private AlertLabels() {
    }

    static String of(AlertGroup group) {
        TreeSet<String> pairs = new TreeSet<>(Comparator.comparing((String p) -> !p.startsWith("alertname="))
                .thenComparing(Comparator.naturalOrder()));
        for (Alert alert : group.alerts()) {
            for (Map.Entry<String, String> label : alert.labels().entrySet()) {
                pairs.add(label.getKey() + "=" + label.getValue().replace('\n', ' '));
            }
        }
        StringBuilder text = new StringBuilder();
        for (String pair : pairs) {
            int room = MAX - text.length() - (text.isEmpty() ? 0 : 1);
            if (pair.length() > room) {
                if (text.isEmpty()) { // one enormous label: its start is still worth finding
                    text.append(pair, 0, MAX - 1).append('…');
                } else if (room >= 1) {
                    text.append(text.isEmpty() ? "" : " ").append('…');
                }
                break;
            }
            text.append(text.isEmpty() ? "" : " ").append(pair);
        }
        return text.toString();
    }
}
