package com.alertrelay.delivery;

import java.util.List;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
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
    private final ManualRetry retries;

    DeliveryController(DeliveryHistory history, ManualRetry retries) {
        this.history = history;
        this.retries = retries;
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

    /**
     * Puts a delivery back for an attempt now. Refused with 409 when it was delivered, and when it is a firing
     * notification whose alert group a later resolve has already closed on the same channel: sending it now
     * would tell the chat an alert fires that it was told is resolved.
     */
    @PostMapping("/api/deliveries/{id}/retry")
    DeliveryView retry(@PathVariable long id, HttpServletRequest request) {
        RetryOutcome outcome = retries.retry(id);
        if (outcome instanceof RetryOutcome.Retried retried) {
            return retried.delivery();
        }
        if (outcome instanceof RetryOutcome.ResolvedLater later) {
            throw resolvedLater(later, request);
        }
        throw outcome instanceof RetryOutcome.NotFound ? notFound(id) : alreadyDelivered(id);
    }

    private static ErrorResponseException resolvedLater(RetryOutcome.ResolvedLater later, HttpServletRequest request) {
        DeliveryView delivery = later.delivery();
        String when = later.resolveDeliveredAt() != null
                ? "was delivered on channel '" + delivery.channel() + "' at " + later.resolveDeliveredAt()
                : "is being delivered on channel '" + delivery.channel() + "' right now";
        ProblemDetail problem = Problems.problem(HttpStatus.CONFLICT, "resolved-later",
                "Alert group already resolved",
                "Delivery " + delivery.id() + " (firing notification " + delivery.notificationId()
                        + ") is not retried: the resolve of the same alert group, notification "
                        + later.resolvedByNotificationId() + ", " + when + "; sending the older firing now would "
                        + "announce an alert that is already resolved",
                request.getRequestURI());
        problem.setProperty("deliveryId", delivery.id());
        problem.setProperty("notificationId", delivery.notificationId());
        problem.setProperty("resolvedByNotificationId", later.resolvedByNotificationId());
        return new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
    }

    private static ResponseStatusException notFound(long id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No delivery " + id);
    }

    private static ResponseStatusException alreadyDelivered(long id) {
        return new ResponseStatusException(HttpStatus.CONFLICT, "Delivery " + id + " was already delivered");
    }
}
