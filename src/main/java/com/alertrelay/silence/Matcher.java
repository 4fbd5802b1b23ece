package com.alertrelay.silence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One matcher of a silence, as Alertmanager's API v2 has it: label {@code name}, {@code value}, whether the value
 * is a regular expression ({@code isRegex}, anchored at both ends by Alertmanager) and whether it must match
 * ({@code isEqual}) or must not.
 */
public record Matcher(String name, String value, boolean isRegex, boolean isEqual) {

    public Matcher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a matcher needs a label name");
        }
    }

    /** {@code name="value"}: the label has exactly this value. */
    public static Matcher equal(String name, String value) {
        return new Matcher(name, value, false, true);
    }

    /**
     * The matchers that silence one Alertmanager notification group: an equality matcher on every label in
     * {@code groupLabels}, plus {@code alertname} from {@code commonLabels} when the route does not group by it
     * (and all alerts of the group share it). Sorted by name, {@code alertname} first.
     *
     * <p><b>What this matches, and why.</b> Alertmanager puts alerts into one group when they reach the same route
     * and have the same values of the route's {@code group_by} labels; those values are the payload's
     * {@code groupLabels}. Matching all of them for equality covers every alert of that group — the ones the
     * operator saw and any that join it later — and no alert of another group of that route, which differs in at
     * least one of those values. {@code commonLabels} are not all matched: a label that merely happens to be shared
     * by the alerts firing now (an {@code instance}, a {@code pod}) would leave out alerts that join the group later.
     * {@code alertname} is the one exception, when it is common: the operator muted the alert they saw, and a
     * different alert that lands in the same group later (grouped by {@code cluster} only, say) is news that should
     * still get through; when {@code group_by} contains {@code alertname} it is matched anyway.
     *
     * <p><b>Limits.</b> A silence matches labels, not routes: an alert with the same label values that Alertmanager
     * routes elsewhere is silenced too (with {@code group_by: ['...']} the group labels are all labels, and the
     * silence is exact). A {@code group_by} label the group's alerts do not have is not in {@code groupLabels}, so
     * it cannot be matched as absent. A route without {@code group_by} puts all its alerts into one group that no
     * label matcher can describe: empty {@code groupLabels} are refused rather than silencing more, or less, than
     * the group.
     *
     * @param groupLabels  the notification's {@code groupLabels}
     * @param commonLabels the notification's {@code commonLabels}; may be null or empty
     * @throws IllegalArgumentException when {@code groupLabels} is empty (or null)
     */
    public static List<Matcher> forGroup(Map<String, String> groupLabels, Map<String, String> commonLabels) {
        if (groupLabels == null || groupLabels.isEmpty()) {
            throw new IllegalArgumentException("the group has no group labels (its route has no group_by, so the "
                    + "group is every alert of the route): no set of label matchers silences exactly that group");
        }
        Map<String, String> matched = new TreeMap<>(groupLabels);
        if (commonLabels != null && commonLabels.containsKey("alertname")) {
            matched.putIfAbsent("alertname", commonLabels.get("alertname"));
        }
        List<Matcher> matchers = new ArrayList<>();
        if (matched.containsKey("alertname")) {
            matchers.add(equal("alertname", matched.remove("alertname")));
        }
        matched.forEach((name, value) -> matchers.add(equal(name, value)));
        return List.copyOf(matchers);
    }

    /** As amtool and Alertmanager's UI write it: {@code name="value"}, {@code name!="value"}, {@code =~}, {@code !~}. */
    @Override
    public String toString() {
        String operator = isRegex ? (isEqual ? "=~" : "!~") : (isEqual ? "=" : "!=");
        return name + operator + quoted(value);
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
