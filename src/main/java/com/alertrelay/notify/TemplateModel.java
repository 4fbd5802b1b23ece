package com.alertrelay.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The data a {@link MessageTemplate} sees, with the same names for every channel.
 *
 * <p>Per alert: {@code status}, {@code status_emoji}, {@code alertname}, {@code severity}, {@code summary},
 * {@code description}, {@code labels} ({@code k=v, …}) and {@code labels.NAME}, {@code annotations.NAME},
 * {@code starts_at}, {@code ends_at}, {@code duration}, {@code generator_url}, {@code fingerprint}, {@code index}.
 *
 * <p>Per notification (a whole-message template such as a webhook body): {@code status}, {@code status_emoji},
 * {@code title}, {@code alertname}, {@code severity}, {@code receiver}, {@code group_key}, {@code external_url},
 * {@code group_labels.NAME}, {@code common_labels.NAME}, {@code common_annotations.NAME}, {@code alerts} (the
 * list of per-alert models, for {@code {{#alerts}}…{{/alerts}}}), {@code alerts_count}, {@code firing_count},
 * {@code resolved_count}, {@code truncated_alerts}, {@code note} (why the relay sends it, e.g. as a fallback).
 */
public final class TemplateModel {

    private static final Set<String> NAMES = Set.of("status", "status_emoji", "alertname", "severity", "summary",
            "description", "labels", "starts_at", "ends_at", "duration", "generator_url", "fingerprint", "index",
            "title", "receiver", "group_key", "external_url", "alerts", "alerts_count", "firing_count",
            "resolved_count", "truncated_alerts", "note");
    /** Maps: {@code {{labels}}} prints {@code k=v, …}, {@code {{labels.team}}} one value. */
    private static final Set<String> MAPS = Set.of("labels", "annotations", "group_labels", "common_labels",
            "common_annotations");
    /** JMustache's own names inside a section. */
    private static final Set<String> BUILT_IN = Set.of("this", ".", "-first", "-last", "-index");
    private static final Instant NO_END = Instant.parse("0001-01-02T00:00:00Z");

    private TemplateModel() {
    }

    static boolean knows(String name) {
        if (NAMES.contains(name) || MAPS.contains(name) || BUILT_IN.contains(name)) {
            return true;
        }
        int dot = name.indexOf('.');
        return dot > 0 && MAPS.contains(name.substring(0, dot)) && dot < name.length() - 1;
    }

    static String describeNames() {
        return String.join(", ", new TreeSet<>(NAMES)) + ", "
                + MAPS.stream().sorted().map(m -> m + ", " + m + ".NAME").collect(Collectors.joining(", "));
    }

    /**
     * One alert.
     *
     * @param index      its number in the group, or empty
     * @param labelsText what {@code {{labels}}} prints (null: every label, {@code k=v, …} by name)
     */
    public static Map<String, Object> alert(Alert alert, String index, DateTimeFormatter times, String labelsText) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("index", index);
        model.put("status", alert.status());
        model.put("status_emoji", alert.isResolved() ? "✅" : "🔥");
        model.put("alertname", alert.label("alertname"));
        model.put("severity", alert.label("severity"));
        model.put("summary", alert.annotation("summary"));
        model.put("description", alert.annotation("description"));
        model.put("labels", new Printed(alert.labels(), labelsText != null ? labelsText : text(alert.labels())));
        model.put("annotations", new Printed(alert.annotations(), text(alert.annotations())));
        model.put("starts_at", times.format(alert.startsAt()));
        model.put("ends_at", ended(alert) ? times.format(alert.endsAt()) : "");
        model.put("duration", duration(alert));
        model.put("generator_url", Objects.requireNonNullElse(alert.generatorURL(), ""));
        model.put("fingerprint", Objects.requireNonNullElse(alert.fingerprint(), ""));
        return model;
    }

    /** A whole notification, with its alerts. */
    public static Map<String, Object> notification(AlertNotification notification, DateTimeFormatter times) {
        AlertGroup group = notification.group();
        Map<String, Object> model = new LinkedHashMap<>();
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (int i = 0; i < group.alerts().size(); i++) {
            alerts.add(alert(group.alerts().get(i), String.valueOf(i + 1), times, null));
        }
        String alertname = group.commonLabels().getOrDefault("alertname",
                group.groupLabels().getOrDefault("alertname", ""));
        model.put("status", group.status());
        model.put("status_emoji", group.isResolved() ? "✅" : "🔥");
        model.put("alertname", alertname);
        model.put("title", !alertname.isEmpty() ? alertname : group.groupLabels().isEmpty() ? "Alerts"
                : text(group.groupLabels()));
        model.put("severity", group.commonLabels().getOrDefault("severity", ""));
        model.put("receiver", Objects.requireNonNullElse(group.receiver(), ""));
        model.put("group_key", group.groupKey());
        model.put("external_url", Objects.requireNonNullElse(group.externalURL(), ""));
        model.put("group_labels", new Printed(group.groupLabels(), text(group.groupLabels())));
        model.put("common_labels", new Printed(group.commonLabels(), text(group.commonLabels())));
        model.put("common_annotations", new Printed(group.commonAnnotations(), text(group.commonAnnotations())));
        model.put("alerts", alerts);
        model.put("alerts_count", group.alerts().size());
        long resolved = group.alerts().stream().filter(Alert::isResolved).count();
        model.put("firing_count", group.alerts().size() - resolved);
        model.put("resolved_count", resolved);
        model.put("truncated_alerts", group.truncatedAlerts());
        model.put("note", notification.hasNote() ? notification.note() : "");
        return model;
    }

    /** {@code k=v, …} sorted by name. */
    static String text(Map<String, String> map) {
        return new TreeMap<>(map).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** Whether a resolved alert has a usable end time (Alertmanager sends 0001-01-01 for "none"). */
    public static boolean ended(Alert alert) {
        return alert.isResolved() && alert.endsAt() != null && alert.endsAt().isAfter(NO_END)
                && !alert.endsAt().isBefore(alert.startsAt());
    }

    /** How long a resolved alert was firing, e.g. {@code 5m}, {@code 2h 5m}; empty when not known. */
    public static String duration(Alert alert) {
        if (!ended(alert)) {
            return "";
        }
        long s = Duration.between(alert.startsAt(), alert.endsAt()).getSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : " " + (s % 60) + "s");
        }
        if (s < 86400) {
            return (s / 3600) + "h" + ((s % 3600) / 60 == 0 ? "" : " " + ((s % 3600) / 60) + "m");
        }
        return (s / 86400) + "d" + ((s % 86400) / 3600 == 0 ? "" : " " + ((s % 86400) / 3600) + "h");
    }

    /** A map that prints as {@code k=v, …}: {@code {{labels}}} is text, {@code {{labels.team}}} one value. */
    private static final class Printed extends TreeMap<String, String> {

        private final String text;

        Printed(Map<String, String> values, String text) {
            super(values);
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }

        @Override
        public boolean equals(Object o) {
            return super.equals(o);
        }

        @Override
        public int hashCode() {
            return super.hashCode();
        }
    }
}
