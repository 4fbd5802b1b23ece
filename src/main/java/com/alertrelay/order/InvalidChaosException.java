package com.alertrelay.order;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code PUT /api/chaos} (or {@code order.chaos.*}) with values out of range; each error names its field. */
class InvalidChaosException extends RuntimeException {

    private final List<Map<String, String>> errors;

    InvalidChaosException(List<Map<String, String>> errors) {
        super(errors.stream().map(e -> e.get("field") + ": " + e.get("message")).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    List<Map<String, String>> errors() {
        return errors;
    }
}
