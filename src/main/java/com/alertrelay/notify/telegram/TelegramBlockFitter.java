package com.alertrelay.notify.telegram;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Fits a rendered block into a length budget by shortening the values that go into it, never the markup:
 * first the named values (an alert's description), then, if that is not enough, every value to a common
 * maximum. Values are cut before they are escaped, so a cut can never land inside a tag or an entity.
 */
final class TelegramBlockFitter {

    private TelegramBlockFitter() {
    }

    /**
     * The block rendered from {@code values}, at most {@code budget} long, or null when even with every value
     * cut to an ellipsis it does not fit.
     */
    static TelegramHtml fit(Function<Values, TelegramHtml> render, Values values, int budget, List<String> cutFirst) {
        TelegramHtml full = render.apply(values);
        if (full.length() <= budget) {
            return full;
        }
        Values current = values;
        for (String key : cutFirst) {
            String value = current.get(key);
            if (value.isEmpty()) {
                continue;
            }
            Values base = current;
            int keep = largest(value.length(), n -> render.apply(base.cut(key, n)).length() <= budget);
            if (keep >= 0) {
                return render.apply(base.cut(key, keep));
            }
            current = base.cut(key, 0);
        }
        Values base = current;
        int cap = largest(base.longest(), n -> render.apply(base.capAll(n)).length() <= budget);
        return cap >= 0 ? render.apply(base.capAll(cap)) : null;
    }

    /** The largest n in [0, max] with fits(n), or -1; fits must be monotone (true up to some n). */
    private static int largest(int max, java.util.function.IntPredicate fits) {
        if (!fits.test(0)) {
            return -1;
        }
        int low = 0;
        int high = max;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (fits.test(mid)) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /** The cleaned text values a block is rendered from; absent keys read as empty. */
    static final class Values {

        private final Map<String, String> values;

        private Values(Map<String, String> values) {
            this.values = values;
        }

        static Values of(Map<String, String> raw) {
            Map<String, String> clean = new LinkedHashMap<>();
            raw.forEach((key, value) -> clean.put(key, TelegramHtml.clean(value)));
            return new Values(clean);
        }

        String get(String key) {
            return values.getOrDefault(key, "");
        }

        /** Every key and value, in order. */
        Map<String, String> all() {
            return java.util.Collections.unmodifiableMap(values);
        }

        Values cut(String key, int maxLength) {
            Map<String, String> copy = new LinkedHashMap<>(values);
            copy.computeIfPresent(key, (k, v) -> TelegramHtml.cut(v, maxLength));
            return new Values(copy);
        }

        Values capAll(int maxLength) {
            Map<String, String> copy = new LinkedHashMap<>();
            values.forEach((key, value) -> copy.put(key, TelegramHtml.cut(value, Math.max(maxLength, 1))));
            return new Values(copy);
        }

        int longest() {
            return values.values().stream().mapToInt(String::length).max().orElse(0);
        }
    }
}
