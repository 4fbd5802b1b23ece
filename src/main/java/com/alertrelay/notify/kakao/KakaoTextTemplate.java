package com.alertrelay.notify.kakao;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alertrelay.notify.MessageTemplate;
import com.alertrelay.notify.TemplateEscaping;
import com.alertrelay.notify.TemplateModel;

/**
 * {@code relay.channels.<name>.text-template}: the text of a one-alert message in the relay's template language
 * (plain text, cut to 200 characters by the renderer). {@code \n} as two characters is a line break too, for
 * environment variables. A template in the old {@code {status}}, {@code {label:NAME}} form keeps working: it is
 * rewritten to the same template in the new form, with a warning that shows the new form.
 */
final class KakaoTextTemplate {

    private static final Logger log = LoggerFactory.getLogger(KakaoTextTemplate.class);

    /** The old placeholders; any other {@code {word}} was printed as it was, and still is. */
    private static final Pattern OLD = Pattern.compile(
            "(?<!\\{)\\{(?:(label|annotation):([A-Za-z0-9_.-]+)|(status|severity|alertname|instance|summary|description|startsAt))}(?!})");

    private KakaoTextTemplate() {
    }

    static MessageTemplate compile(String property, String source) {
        String template = rewrite(source);
        if (!template.equals(source)) {
            log.warn("{} uses the old {placeholder} form; it keeps working, but write it as: {}", property, template);
        }
        return MessageTemplate.compile(property, template.replace("\\n", "\n"), TemplateEscaping.PLAIN,
                TemplateModel.Scope.ALERT);
    }

    /** The same template in the new form: the old placeholders rewritten to the names that give the same text. */
    static String rewrite(String source) {
        Matcher m = OLD.matcher(source);
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
}
