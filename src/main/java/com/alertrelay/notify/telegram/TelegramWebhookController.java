package com.alertrelay.notify.telegram;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * Where Telegram delivers taps when a channel has {@code updates: webhook}: {@code POST /telegram/<channel>/updates},
 * set with {@code setWebhook} at startup. Telegram proves itself with the {@code secret_token} it was given, in the
 * {@code X-Telegram-Bot-Api-Secret-Token} header, compared in constant time; anything else is refused and changes
 * nothing. (Not under /webhook or /api: Telegram cannot send the relay's credentials, only this secret.)
 */
@RestController
class TelegramWebhookController {

    private static final Logger log = LoggerFactory.getLogger(TelegramWebhookController.class);

    private final TelegramUpdatesPoller updates;

    TelegramWebhookController(TelegramUpdatesPoller updates) {
        this.updates = updates;
    }

    @PostMapping("/telegram/{channel}/updates")
    ResponseEntity<?> update(@PathVariable String channel,
            @RequestHeader(name = "X-Telegram-Bot-Api-Secret-Token", required = false) String secret,
            @RequestBody JsonNode update) {
        TelegramUpdatesPoller.Webhook webhook = updates.webhook(channel).orElse(null);
        if (webhook == null) {
            return problem(HttpStatus.NOT_FOUND, "No channel '" + channel + "' takes Telegram updates by webhook");
        }
        if (secret == null || !MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                webhook.secret().getBytes(StandardCharsets.UTF_8))) {
            log.warn("Channel {}: refused a webhook call without the right X-Telegram-Bot-Api-Secret-Token", channel);
            return problem(HttpStatus.UNAUTHORIZED, "Missing or wrong X-Telegram-Bot-Api-Secret-Token");
        }
        webhook.ops().handle(update);
        return ResponseEntity.ok().build();
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
