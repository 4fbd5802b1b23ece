package com.alertrelay.notify.webhook;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Function;

import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.MessageTemplate;
import com.alertrelay.notify.TemplateEscaping;
import com.alertrelay.notify.TemplateModel;

/** Compiles a JSON body template with the relay's one template language (JSON escaping, the shared names). */
final class WebhookTemplates {

    private WebhookTemplates() {
    }

    static Function<AlertNotification, String> compile(String property, String source, ZoneId zone) {
        MessageTemplate template = MessageTemplate.compile(property, source, TemplateEscaping.JSON);
        DateTimeFormatter times = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT).withZone(zone);
        return notification -> template.render(TemplateModel.notification(notification, times));
    }
}
