package com.alertrelay.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a {@link MessageTemplate} can show: the same names for the same data in every channel, built from an
 * {@link AlertGroup}. A whole-message template ({@link Scope#GROUP}, e.g. a webhook body) sees the group's
 * names and lists its alerts with {@code {{#alerts}}…{{/alerts}}}; a per-alert template ({@link Scope#ALERT},
 * e.g. Telegram's block, Kakao's text) sees the alert's names and, behind them, the group's.
 *
 * <p>Names of the group:
 * <ul>
 * <li>{@code status} ({@code firing}/{@code resolved}), {@code status_upper}, {@code status_emoji} (🔥/✅),
 * {@code firing} and {@code resolved} (true/false, for sections)</li>
 * <li>{@code receiver}, {@code alertname} and {@code severity} (shared by every alert, else empty), {@code title}
 * (that alertname, else the group labels {@code k=v, …}, else {@code Alerts}), {@code external_url},
 * {@code group_key}, {@code note} (why the relay sends it, e.g. a resolve confirmed with Alertmanager; else
 * empty)</li>
 * <li>{@code group_labels.NAME}, {@code common_labels.NAME}, {@code common_annotations.NAME} (common: the same
 * non-empty value in every alert sent to this channel); each as text {@code k=v, …} ({@code group_labels} …) and
 * as a list of {@code name}/{@code value}: {@code group_label_list}, {@code common_label_list},
 * {@code common_annotation_list}</li>
 * <li>{@code alerts} (list of alert models), {@code alerts_count}, {@code firing_count}, {@code resolved_count},
 * {@code truncated_alerts} (left out by Alertmanager's or the relay's {@code max_alerts})</li>
 * </ul>
 * Names of an alert:
 * <ul>
 * <li>{@code index} (1, 2, … in the group; empty when the group has one alert), {@code status},
 * {@code status_upper}, {@code status_emoji}, {@code firing}, {@code resolved}</li>
 * <li>{@code alertname}, {@code severity} (labels), {@code summary}, {@code description} (annotations)</li>
 * <li>{@code labels} (the labels not shared by every alert of the group, {@code k=v, …}), {@code annotations}
 * (all, {@code k=v, …}), {@code labels.NAME}, {@code annotations.NAME} (empty when absent), {@code label_list},
 * {@code annotation_list} (all, as {@code name}/{@code value})</li>
 * <li>{@code starts_at}, {@code ends_at} (in the channel's zone and format; {@code ends_at} empty until
 * resolved), {@code starts_at_iso}, {@code ends_at_iso} (ISO-8601 UTC), {@code duration} ({@code 5m},
 * {@code 2h 5m}; empty until resolved), {@code generator_url}, {@code fingerprint}</li>
 * </ul>
 * {@link #NAMES} holds the same table for code (error messages, the README check).
 */
public final class TemplateModel {

    /** Which model a template is rendered with. */
    public enum Scope {
        /** One alert, with its group's names behind it. */
        ALERT,
        /** The whole notification. */
        GROUP
    }

    /** What a name holds. */
    enum Kind {
        /** text, empty when absent */
        TEXT,
        /** a whole number */
        NUMBER,
        /** true or false: {@code {{#firing}}…{{/firing}}} */
        FLAG,
        /** {@code name.KEY}: one value of a label or annotation map, empty when absent */
        MAP,
        /** a list of models, for {@code {{#name}}…{{/name}}} */
        LIST,
        /** a list of {@code name}/{@code value} pairs, sorted by name */
        PAIRS
    }

    /** One name of the model; for {@link Kind#PAIRS} {@code source} names the map it lists. */
    record Name(String name, Kind kind, String source) {

        /** How it is written in a template. */
        String written() {
            return kind == Kind.MAP ? name + ".NAME" : name;
        }
    }

    /** The names of each scope's own model, in the order they are documented. */
    static final Map<Scope, List<Name>> NAMES = Map.of(
            Scope.GROUP, List.of(
                    text("status"), text("status_upper"), text("status_emoji"), flag("firing"), flag("resolved"),
                    text("receiver"), text("alertname"), text("severity"), text("title"), text("external_url"),
                    text("group_key"), text("note"), text("group_labels"), text("common_labels"),
                    text("common_annotations"), map("group_labels"), map("common_labels"), map("common_annotations"),
                    pairs("group_label_list", "group_labels"), pairs("common_label_list", "common_labels"),
                    pairs("common_annotation_list", "common_annotations"),
                    new Name("alerts", Kind.LIST, null), number("alerts_count"), number("firing_count"),
                    number("resolved_count"), number("truncated_alerts")),
            Scope.ALERT, List.of(
                    text("index"), text("status"), text("status_upper"), text("status_emoji"), flag("firing"),
                    flag("resolved"), text("alertname"), text("severity"), text("summary"), text("description"),
                    text("labels"), text("annotations"), map("labels"), map("annotations"), pairs("label_list", "labels"),
                    pairs("annotation_list", "annotations"), text("starts_at"), text("ends_at"),
                    text("starts_at_iso"), text("ends_at_iso"), text("duration"), text("generator_url"),
                    text("fingerprint")));

    /** The names of one element of a {@link Kind#PAIRS} list. */
    static final List<Name> PAIR_NAMES = List.of(text("name"), text("value"));

    /** Alertmanager's "no end" for firing alerts is 0001-01-01; anything before this is no end. */
    private static final Instant NO_END = Instant.parse("0001-01-02T00:00:00Z");

    private final Scope scope;
    /** TEXT: String, NUMBER: Long, FLAG: Boolean, LIST: List of TemplateModel. */
    private final Map<String, Object> values;
    private final Map<String, Map<String, String>> maps;
    private final TemplateModel group;

    private TemplateModel(Scope scope, Map<String, Object> values, Map<String, Map<String, String>> maps,
            TemplateModel group) {
        this.scope = scope;
        this.values = values;
        this.maps = maps;
        this.group = group;
    }

    /**
     * The model of a notification, its alerts and its {@code note} included.
     *
     * @param times how the channel shows times ({@code starts_at}, {@code ends_at}); must have a zone
     */
    public static TemplateModel notification(AlertNotification notification, DateTimeFormatter times) {
        return of(notification.group(), notification.hasNote() ? notification.note() : "", times);
    }

    /** The model of an alert group, its alerts included; {@code note} is empty. See {@link #notification}. */
    public static TemplateModel of(AlertGroup group, DateTimeFormatter times) {
        return of(group, "", times);
    }

    /** The model of an alert group, its alerts included, with the relay's {@code note} about it (or empty). */
    public static TemplateModel of(AlertGroup group, String note, DateTimeFormatter times) {
        if (times.getZone() == null) {
            throw new IllegalArgumentException("times must have a zone (DateTimeFormatter.withZone)");
        }
        List<Alert> alerts = group.alerts();
        Map<String, String> commonLabels = common(alerts.stream().map(Alert::labels).toList());
        Map<String, String> commonAnnotations = common(alerts.stream().map(Alert::annotations).toList());
        long resolved = alerts.stream().filter(Alert::isResolved).count();
        Map<String, Object> values = new LinkedHashMap<>();
        status(values, group.status());
        values.put("receiver", Objects.requireNonNullElse(group.receiver(), ""));
        values.put("alertname", commonLabels.getOrDefault("alertname", ""));
        values.put("severity", commonLabels.getOrDefault("severity", ""));
        values.put("title", title(group, commonLabels));
        values.put("external_url", Objects.requireNonNullElse(group.externalURL(), ""));
        values.put("group_key", group.groupKey());
        values.put("note", note);
        values.put("group_labels", text(group.groupLabels()));
        values.put("common_labels", text(commonLabels));
        values.put("common_annotations", text(commonAnnotations));
        values.put("alerts_count", (long) alerts.size());
        values.put("firing_count", alerts.size() - resolved);
        values.put("resolved_count", resolved);
        values.put("truncated_alerts", group.truncatedAlerts());
        Map<String, Map<String, String>> maps = Map.of("group_labels", new TreeMap<>(group.groupLabels()),
                "common_labels", commonLabels, "common_annotations", commonAnnotations);
        List<TemplateModel> models = new ArrayList<>(alerts.size());
        TemplateModel model = new TemplateModel(Scope.GROUP, values, maps, null);
        for (int i = 0; i < alerts.size(); i++) {
            models.add(alert(model, alerts.get(i), alerts.size() == 1 ? "" : String.valueOf(i + 1), commonLabels, times));
        }
        values.put("alerts", Collections.unmodifiableList(models));
        return model;
    }

    private static TemplateModel alert(TemplateModel group, Alert alert, String index, Map<String, String> commonLabels,
            DateTimeFormatter times) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("index", index);
        status(values, alert.status());
        values.put("alertname", alert.label("alertname"));
        values.put("severity", alert.label("severity"));
        values.put("summary", alert.annotation("summary"));
        values.put("description", alert.annotation("description"));
        Map<String, String> own = new TreeMap<>(alert.labels());
        own.entrySet().removeIf(e -> commonLabels.containsKey(e.getKey()) || e.getValue().isEmpty());
        values.put("labels", text(own));
        values.put("annotations", text(alert.annotations()));
        boolean ended = ended(alert);
        values.put("starts_at", times.format(alert.startsAt()));
        values.put("ends_at", ended ? times.format(alert.endsAt()) : "");
        values.put("starts_at_iso", alert.startsAt().toString());
        values.put("ends_at_iso", ended ? alert.endsAt().toString() : "");
        values.put("duration", duration(alert));
        values.put("generator_url", Objects.requireNonNullElse(alert.generatorURL(), ""));
        values.put("fingerprint", Objects.requireNonNullElse(alert.fingerprint(), ""));
        return new TemplateModel(Scope.ALERT, values,
                Map.of("labels", new TreeMap<>(alert.labels()), "annotations", new TreeMap<>(alert.annotations())), group);
    }

    private static void status(Map<String, Object> values, String status) {
        boolean resolved = "resolved".equals(status);
        values.put("status", status);
        values.put("status_upper", status.toUpperCase(Locale.ROOT));
        values.put("status_emoji", resolved ? "✅" : "🔥");
        values.put("firing", !resolved);
        values.put("resolved", resolved);
    }

    public Scope scope() {
        return scope;
    }

    /** The models of the group's alerts, in order; empty for an alert's model. */
    @SuppressWarnings("unchecked")
    public List<TemplateModel> alerts() {
        return scope == Scope.GROUP ? (List<TemplateModel>) values.get("alerts") : List.of();
    }

    /** The group an alert's model belongs to; the model itself for a group. */
    public TemplateModel group() {
        return group == null ? this : group;
    }

    /**
     * This model's own text values by name, {@code labels.NAME}-style names included: what a channel may
     * shorten to fit a length limit before rendering (see {@link #withTexts}).
     */
    public Map<String, String> texts() {
        Map<String, String> texts = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (value instanceof String text) {
                texts.put(name, text);
            }
        });
        maps.forEach((prefix, map) -> map.forEach((key, value) -> texts.put(prefix + "." + key, value)));
        return texts;
    }

    /** A copy with the given text values (as named by {@link #texts()}) instead of these; other names are ignored. */
    public TemplateModel withTexts(Map<String, String> texts) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        Map<String, Map<String, String>> mapsCopy = new LinkedHashMap<>();
        maps.forEach((prefix, map) -> mapsCopy.put(prefix, new TreeMap<>(map)));
        texts.forEach((name, text) -> {
            if (copy.get(name) instanceof String) {
                copy.put(name, text);
                return;
            }
            int dot = name.indexOf('.');
            Map<String, String> map = dot < 0 ? null : mapsCopy.get(name.substring(0, dot));
            if (map != null && map.containsKey(name.substring(dot + 1))) {
                map.put(name.substring(dot + 1), text);
            }
        });
        return new TemplateModel(scope, copy, mapsCopy, group);
    }

    /**
     * The value of a name of this model's own (not its group's): String, Long, Boolean, a List of models, or a
     * List of name/value maps; null when this model has no such name.
     */
    Object lookup(String name) {
        Object value = values.get(name);
        if (value != null) {
            return value;
        }
        for (Name pairs : NAMES.get(scope)) {
            if (pairs.kind() == Kind.PAIRS && pairs.name().equals(name)) {
                return maps.get(pairs.source()).entrySet().stream()
                        .map(e -> Map.of("name", e.getKey(), "value", e.getValue())).toList();
            }
        }
        int dot = name.indexOf('.');
        Map<String, String> map = dot < 0 ? null : maps.get(name.substring(0, dot));
        return map == null ? null : map.getOrDefault(name.substring(dot + 1), "");
    }

    // ---- texts every channel shows the same way

    /** The entries with the same non-empty value in every map (what a group's alerts have in common). */
    public static Map<String, String> common(List<Map<String, String>> maps) {
        Map<String, String> common = new TreeMap<>(maps.isEmpty() ? Map.of() : maps.get(0));
        for (Map<String, String> map : maps) {
            common.entrySet().removeIf(e -> !e.getValue().equals(map.get(e.getKey())));
        }
        common.entrySet().removeIf(e -> e.getValue().isEmpty());
        return common;
    }

    /** The shared alertname, else the group labels {@code k=v, …}, else {@code Alerts}. */
    public static String title(AlertGroup group, Map<String, String> commonLabels) {
        String alertname = commonLabels.getOrDefault("alertname", "");
        if (!alertname.isEmpty()) {
            return alertname;
        }
        if (!group.groupLabels().isEmpty()) {
            return text(group.groupLabels());
        }
        return "Alerts";
    }

    /** How long a resolved alert was firing, e.g. {@code 45s}, {@code 5m}, {@code 2h 5m}, {@code 3d 1h}; empty when not known. */
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

    /** {@code k=v, …} sorted by name. */
    private static String text(Map<String, String> map) {
        return new TreeMap<>(map).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** Resolved with a real end (Alertmanager sends 0001-01-01 for none), not before its start. */
    public static boolean ended(Alert alert) {
        return alert.isResolved() && alert.endsAt() != null && alert.endsAt().isAfter(NO_END)
                && !alert.endsAt().isBefore(alert.startsAt());
    }

    private static Name text(String name) {
        return new Name(name, Kind.TEXT, null);
    }

    private static Name number(String name) {
        return new Name(name, Kind.NUMBER, null);
    }

    private static Name flag(String name) {
        return new Name(name, Kind.FLAG, null);
    }

    private static Name map(String name) {
        return new Name(name, Kind.MAP, null);
    }

    private static Name pairs(String name, String source) {
        return new Name(name, Kind.PAIRS, source);
    }
}
