package com.alertrelay.webhook;

import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import com.alertrelay.notify.AlertGroup;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook's dry run ({@code POST /webhook?dry-run=true}) for callers other than the webhook — the console's
 * preview: a payload is read and checked exactly as the webhook reads and checks it, then rendered by every channel
 * of the route through {@link NotificationIntake#preview}. Nothing is stored or sent.
 */
@Service
public class DryRun {

    private final NotificationIntake intake;
    private final JsonMapper json;
    private final Validator validator;

    DryRun(NotificationIntake intake, JsonMapper json, Validator validator) {
        this.intake = intake;
        this.json = json;
        this.validator = validator;
    }

    /** A payload the webhook would refuse (400), or a route it does not know (404); the message is the detail. */
    public static final class Refused extends RuntimeException {

        Refused(String detail) {
            super(detail, null, false, false);
        }
    }

    /**
     * What each channel of {@code route} would send for this Alertmanager webhook payload (JSON).
     *
     * @throws Refused when the webhook would refuse the payload or does not know the route
     */
    public NotificationPreview preview(String route, String payload) {
        if (payload == null || payload.isBlank()) {
            throw new Refused("The payload is empty: paste an Alertmanager webhook payload (JSON)");
        }
        AlertGroup group;
        try {
            group = json.readValue(payload, AlertGroup.class);
        } catch (JacksonException e) {
            throw new Refused(PayloadErrors.detail(e));
        }
        if (group == null) {
            throw new Refused("The payload is JSON null: expected an Alertmanager webhook payload (an object)");
        }
        Set<ConstraintViolation<AlertGroup>> violations = validator.validate(group);
        if (!violations.isEmpty()) {
            // as the webhook's 400 says it: field: message; field: message (sorted by field)
            throw new Refused(violations.stream()
                    .sorted(java.util.Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> v.getPropertyPath() + ": " + v.getMessage())
                    .collect(Collectors.joining("; ")));
        }
        return preview(route, group);
    }

    /**
     * What each channel of {@code route} would send for a group already read (a stored notification).
     *
     * @throws Refused when the route is not configured
     */
    public NotificationPreview preview(String route, AlertGroup group) {
        try {
            return intake.preview(route, group);
        } catch (UnknownRouteException e) {
            throw new Refused(e.getMessage());
        }
    }
}
