package com.alertrelay.delivery;

import java.util.List;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import com.alertrelay.http.Problems;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The operator API: what came in, what went out, what is stuck — and a manual retry. Every bad parameter is a
 * 400 problem naming it ({@code ?limit=-1}, {@code ?limit=abc}, {@code ?state=bogus}, {@code /api/deliveries/x/retry}):
 * the constraints are checked by Spring MVC's own method validation (so no {@code @Validated} proxy, whose
 * {@code ConstraintViolationException} nothing maps) and answered by the relay's exception handler.
 */
@RestController
class DeliveryController {

    private static final Set<String> STATES = Set.of("pending", "retrying", "delivered", "dead");

    private final DeliveryHistory history;
    private final DeliveryWorkers workers;

    DeliveryController(DeliveryHistory history, DeliveryWorkers workers) {
        this.history = history;
        this.workers = workers;
    }

    @GetMapping("/api/notifications")
    List<NotificationView> notifications(@RequestParam(defaultValue = "20") @Min(1) @Max(500) int limit) {
        return history.recentNotifications(limit);
    }

    @GetMapping("/api/deliveries")
    List<DeliveryView> deliveries(@RequestParam(defaultValue = "dead") String state,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit, HttpServletRequest request) {
        if (!STATES.contains(state)) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, Problems.invalidParameter("state",
                    "must be one of pending, retrying, delivered, dead; was " + Problems.echo(state),
                    request.getRequestURI()), null);
        }
        return history.deliveries(state, limit);
    }

    @PostMapping("/api/deliveries/{id}/retry")
    DeliveryView retry(@PathVariable long id) {
        DeliveryView delivery = history.delivery(id).orElseThrow(() -> new ResponseStatusException(
                HttpStatus.NOT_FOUND, "No delivery " + id));
        if ("delivered".equals(delivery.state())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Delivery " + id + " was already delivered");
        }
        history.retryNow(id);
        workers.wake(List.of(delivery.channel()));
        return history.delivery(id).orElseThrow();
    }
}
