package com.alertrelay.routing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.alertrelay.notify.Alert;

/** A channel's label matchers: every listed label must fully match its regular expression. */
final class LabelFilter implements Predicate<Alert> {

    private final Map<String, Pattern> matchers;

    private LabelFilter(Map<String, Pattern> matchers) {
        this.matchers = matchers;
    }

    static LabelFilter of(String propertyPrefix, Map<String, String> labels) {
        Map<String, Pattern> matchers = new LinkedHashMap<>();
        labels.forEach((label, regex) -> {
            try {
                matchers.put(label, Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new IllegalStateException(propertyPrefix + ".labels." + label
                        + ": not a valid regular expression: " + e.getDescription());
            }
        });
        return new LabelFilter(Map.copyOf(matchers));
    }

    @Override
    public boolean test(Alert alert) {
        return matchers.entrySet().stream()
                .allMatch(m -> m.getValue().matcher(alert.label(m.getKey())).matches());
    }

    @Override
    public String toString() {
        return matchers.toString();
    }
}
