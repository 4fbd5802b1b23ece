package com.alertrelay.webhook;

import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * What is wrong with a webhook payload Jackson could not read, said the same way by the webhook's 400 and the
 * console's preview: where malformed JSON breaks off, or which field has the wrong type or value.
 */
final class PayloadErrors {

    private PayloadErrors() {
    }

    /** The field the problem is in ({@code alerts[0].startsAt}), or null for JSON that is malformed as such. */
    static String field(JacksonException jackson) {
        if (malformed(jackson) || jackson.getPath().isEmpty()) {
            return null;
        }
        return path(jackson.getPath());
    }

    /** {@code Malformed JSON at line 1, column 9: …} or {@code alerts[0].startsAt: not an RFC 3339 timestamp: "x"}. */
    static String detail(JacksonException jackson) {
        String field = field(jackson);
        if (field == null) {
            return "Malformed JSON" + location(jackson) + ": " + jackson.getOriginalMessage();
        }
        return field + ": " + describe(jackson);
    }

    private static boolean malformed(JacksonException jackson) {
        return jackson instanceof StreamReadException && !(jackson instanceof MismatchedInputException);
    }

    private static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(JacksonException ex) {
        if (ex instanceof InvalidFormatException invalid) {
            String value = String.valueOf(invalid.getValue());
            if (java.time.temporal.Temporal.class.isAssignableFrom(invalid.getTargetType())) {
                return "not an RFC 3339 timestamp: \"" + value + "\"";
            }
            return "invalid value \"" + value + "\" for " + invalid.getTargetType().getSimpleName();
        }
        if (ex instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "wrong JSON type, expected " + jsonType(mismatch.getTargetType());
        }
        return ex.getOriginalMessage();
    }

    private static String jsonType(Class<?> type) {
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return "a string";
    }

    private static String location(JacksonException ex) {
        return ex.getLocation() == null ? ""
                : " at line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr();
    }
}
