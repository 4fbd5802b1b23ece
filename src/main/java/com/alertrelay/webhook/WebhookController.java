package com.alertrelay.webhook;

import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.alertrelay.delivery.AcceptedNotification;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.routing.ChannelRegistry;

import jakarta.validation.Valid;

/**
 * Alertmanager's {@code webhook_configs} target. Answers 200 only once the notification and its
 * deliveries are committed; see {@link WebhookProblems} for every other answer. The mappings take any
 * Content-Type: the body's reading refuses what is not JSON (415) inside this controller, where the webhook's
 * handler answers it and counts the rejection.
 */
@RestController
@Validated
class WebhookController {

    private final NotificationIntake intake;

    WebhookController(NotificationIntake intake) {
        this.intake = intake;
    }

    @PostMapping(path = "/webhook", params = "!dry-run")
    WebhookResponse receiveDefault(@Valid @RequestBody AlertGroup group) {
        return receive(ChannelRegistry.DEFAULT_ROUTE, group);
    }

    @PostMapping(path = "/webhook/{route}", params = "!dry-run")
    WebhookResponse receive(@PathVariable String route, @Valid @RequestBody AlertGroup group) {
        AcceptedNotification accepted = intake.accept(route, group);
        return new WebhookResponse(accepted.notificationId(), accepted.channels().size(), accepted.duplicate());
    }

    @PostMapping(path = "/webhook", params = "dry-run")
    Object previewDefault(@RequestParam("dry-run") boolean dryRun, @Valid @RequestBody AlertGroup group) {
        return preview(ChannelRegistry.DEFAULT_ROUTE, dryRun, group);
    }

    @PostMapping(path = "/webhook/{route}", params = "dry-run")
    Object preview(@PathVariable String route, @RequestParam("dry-run") boolean dryRun,
            @Valid @RequestBody AlertGroup group) {
        return dryRun ? intake.preview(route, group) : receive(route, group);
    }
}
