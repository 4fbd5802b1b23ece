package com.alertrelay.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Fault injection for demos and tests, under {@code /api/**} and so protected like the relay's operator API
 * ({@code RELAY_ADMIN_TOKEN}, else the webhook credentials; startup warns when that is open). {@code PUT} replaces all three values: what the
 * body leaves out is 0, so {@code PUT {}} turns chaos off. Unknown fields are refused, so a typo cannot
 * silently turn chaos off.
 *
 * <pre>
 * PUT /api/chaos {"failure-rate": 1.0, "payment-delay": "6s", "error-rate": 0.2}
 * </pre>
 */
@RestController
class ChaosController {

    private static final Set<String> FIELDS = Set.of("failure-rate", "payment-delay", "error-rate");

    private final ChaosSettings chaos;

    ChaosController(ChaosSettings chaos) {
        this.chaos = chaos;
    }

    @GetMapping("/api/chaos")
    Map<String, Object> get() {
        return chaos.current().toJson();
    }

    @PutMapping(path = "/api/chaos", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> put(@RequestBody Map<String, Object> body, HttpServletRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (String field : new TreeSet<>(body.keySet())) {
            if (!FIELDS.contains(field)) {
                errors.add(Map.of("field", field, "message",
                        "unknown field (known: error-rate, failure-rate, payment-delay)"));
            }
        }
        Double failureRate = number(body, "failure-rate", errors);
        Double errorRate = number(body, "error-rate", errors);
        Duration delay = Duration.ZERO;
        Object rawDelay = body.get("payment-delay");
        if (rawDelay != null && !(rawDelay instanceof String)) {
            errors.add(Map.of("field", "payment-delay", "message", "must be a string such as \"6s\" or \"500ms\""));
        } else {
            try {
                delay = ChaosSettings.Chaos.parseDelay((String) rawDelay, "payment-delay");
            } catch (InvalidChaosException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidChaosException(errors);
        }
        ChaosSettings.Chaos requested = ChaosSettings.Chaos.validated(failureRate, delay, errorRate, "");
        return chaos.set(requested, "PUT /api/chaos from " + request.getRemoteAddr()).toJson();
    }

    private static Double number(Map<String, Object> body, String field, List<Map<String, String>> errors) {
        Object value = body.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        errors.add(Map.of("field", field, "message", "must be a number between 0 and 1"));
        return null;
    }
}
