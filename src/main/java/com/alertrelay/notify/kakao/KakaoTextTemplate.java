package com.alertrelay.notify.kakao;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.MessageTemplate;
import com.alertrelay.notify.TemplateEscaping;
import com.alertrelay.notify.TemplateModel;

/**
 * {@code relay.channels.<name>.text-template}: the text of a one-alert KakaoTalk message in the relay's one
 * template language ({@link MessageTemplate}, plain text, the alert's names of {@link TemplateModel}); {@code \n}
 * as two characters is a line break too, as in an environment variable. The text is still cut to Kakao's 200
 * characters. A template in the old {@code {status}} / {@code {label:NAME}} form stops startup with the same
 * template written in the new form, one that reads exactly as the old one did.
 */
final class KakaoTextTemplate {

    private static final DateTimeFormatter TIMES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'KST'", Locale.ROOT)
            .withZone(ZoneId.of("Asia/Seoul"));
    /** The old placeholders; any other {@code {word}} was printed as it was, and still is. */
    private static final Pattern OLD_FORM = Pattern.compile(
            "(?<!\\{)\\{(?:(label|annotation):([A-Za-z0-9_.-]+)|(status|severity|alertname|instance|summary|description|startsAt))}(?!})");

    private final MessageTemplate template;

    private KakaoTextTemplate(MessageTemplate template) {
        this.template = template;
    }

    /** @throws IllegalStateException naming {@code property}: an old-form template (with its new form) or a bad one */
    static KakaoTextTemplate compile(String property, String source) {
        if (OLD_FORM.matcher(source).find()) {
            throw new IllegalStateException(property + " uses the old {placeholder} form; templates are Mustache now, "
                    + "the same for every channel. Write it as: " + newForm(source));
        }
        return new KakaoTextTemplate(MessageTemplate.compile(property, source.replace("\\n", "\n"),
                TemplateEscaping.PLAIN, TemplateModel.Scope.ALERT));
    }

    /** The old form rewritten to names that give the same text. */
    static String newForm(String source) {
        Matcher m = OLD_FORM.matcher(source);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name;
            if (m.group(1) != null) {
                name = "{{" + m.group(1) + "s." + m.group(2) + "}}";
            } else {
                name = switch (m.group(3)) {
                    case "status" -> "{{status_upper}}";
                    case "instance" -> "{{labels.instance}}";
                    // the old {summary} fell back to the description
                    case "summary" -> "{{summary}}{{^summary}}{{description}}{{/summary}}";
                    case "startsAt" -> "{{starts_at}}";
                    default -> "{{" + m.group(3) + "}}";
                };
            }
            m.appendReplacement(out, Matcher.quoteReplacement(name));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The text of a notification's one alert. */
    String render(AlertNotification notification) {
        return template.render(TemplateModel.notification(notification, TIMES).alerts().get(0));
    }
}
