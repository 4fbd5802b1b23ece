package com.alertrelay.notify.webhook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.AlertNotification;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON body of one notification: the template's output (JSON-escaped values), parsed, every string longer than
 * {@code maxLength} cut, and written again by Jackson — so what is posted is always valid JSON, however the template
 * was written. Without a template: the group as Alertmanager's webhook posts it.
 */
final class WebhookBody {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ELLIPSIS = "…";

    private final Function<AlertNotification, String> template;
    private final Integer maxLength;

    /** @param template renders the body's JSON text; null for the Alertmanager-like JSON of the group */
    WebhookBody(Function<AlertNotification, String> template, Integer maxLength) {
        this.template = template;
        this.maxLength = maxLength;
    }

    /** @throws IllegalStateException when the template's output is not one JSON value */
    String render(AlertNotification notification) {
        JsonNode body = template == null ? JSON.valueToTree(alertmanagerJson(notification.group()))
                : parse(template.apply(notification));
        return JSON.writeValueAsString(maxLength == null ? body : cut(body));
    }

    private static JsonNode parse(String rendered) {
        try {
            return JSON.readTree(rendered);
        } catch (JacksonException e) {
            throw new IllegalStateException("the template did not render valid JSON: " + e.getOriginalMessage());
        }
    }

    private JsonNode cut(JsonNode node) {
        if (node.isString()) {
            String text = node.asString();
            return text.length() <= maxLength ? node : JSON.getNodeFactory().stringNode(cut(text, maxLength));
        }
        if (node instanceof ObjectNode object) {
            object.propertyNames().forEach(name -> object.set(name, cut(object.get(name))));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, cut(array.get(i)));
            }
        }
        return node;
    }

    /** At most {@code max} UTF-16 units, ending in "…", never half of a surrogate pair. */
    static String cut(String text, int max) {
        if (max <= ELLIPSIS.length()) {
            return ELLIPSIS.substring(0, max);
        }
        int end = max - ELLIPSIS.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }

    /** Alertmanager's webhook payload (version 4), with the fields it always sends, for receivers written for it. */
    private static Map<String, Object> alertmanagerJson(AlertGroup group) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("receiver", group.receiver());
        json.put("status", group.status());
        json.put("alerts", group.alerts().stream().map(WebhookBody::alertJson).toList());
        json.put("groupLabels", group.groupLabels());
        json.put("commonLabels", group.commonLabels());
        json.put("commonAnnotations", group.commonAnnotations());
        json.put("externalURL", group.externalURL());
        json.put("version", group.version());
        json.put("groupKey", group.groupKey());
        json.put("truncatedAlerts", group.truncatedAlerts());
        return json;
    }

    private static Map<String, Object> alertJson(Alert alert) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", alert.status());
        json.put("labels", alert.labels());
        json.put("annotations", alert.annotations());
        json.put("startsAt", alert.startsAt());
        json.put("endsAt", alert.endsAt());
        json.put("generatorURL", alert.generatorURL());
        json.put("fingerprint", alert.fingerprint());
        return json;
    }
}
