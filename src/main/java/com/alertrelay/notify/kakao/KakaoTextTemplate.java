package com.alertrelay.notify.kakao;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.MessageTemplate;
import com.alertrelay.notify.TemplateEscaping;
import com.alertrelay.notify.TemplateModel;

/**
 * {@code relay.channels.<name>.text-template}: the text of a one-alert KakaoTalk message in the relay's one
 * template language ({@link MessageTemplate}, plain text, the names of {@link TemplateModel}); {@code \n} is a line
 * break, as in an environment variable. The text is still cut to Kakao's 200 characters. A template in the old
 * {@code {status}} / {@code {label:NAME}} form stops startup with the same template written in the new form.
 */
final class KakaoTextTemplate {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'KST'", Locale.ROOT)
            .withZone(ZoneId.of("Asia/Seoul"));
    private static final Pattern OLD_FORM = Pattern.compile(
            "(?<!\\{)\\{(status|severity|alertname|summary|description|instance|startsAt|label:[^{}]+|annotation:[^{}]+)}(?!})");

    private final MessageTemplate template;

    private KakaoTextTemplate(MessageTemplate template) {
        this.template = template;
    }

    /** @throws IllegalStateException naming {@code property}: an old-form template (with its new form) or a bad one */
    static KakaoTextTemplate compile(String property, String source) {
        Matcher old = OLD_FORM.matcher(source);
        if (old.find()) {
            throw new IllegalStateException(property + " uses the old {placeholder} form; templates are Mustache now, "
                    + "the same for every channel. Write it as: " + newForm(source));
        }
        return new KakaoTextTemplate(MessageTemplate.compile(property, source, TemplateEscaping.PLAIN));
    }

    /** The old form rewritten: {@code {status}} → {@code {{status}}}, {@code {label:team}} → {@code {{labels.team}}}, … */
    static String newForm(String source) {
        Matcher m = OLD_FORM.matcher(source);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replaced = name.startsWith("label:") ? "labels." + name.substring(6)
                    : name.startsWith("annotation:") ? "annotations." + name.substring(11)
                    : switch (name) {
                        case "instance" -> "labels.instance";
                        case "startsAt" -> "starts_at";
                        default -> name;
                    };
            m.appendReplacement(out, Matcher.quoteReplacement("{{" + replaced + "}}"));
        }
        m.appendTail(out);
        return out.toString();
    }

    String render(Alert alert) {
        return template.render(TemplateModel.alert(alert, "", TIME, null)).replace("\\n", "\n");
    }
}
