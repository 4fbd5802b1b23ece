package com.alertrelay.notify.telegram;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/channels/telegram/{name}/check}: calls {@code getMe} with the channel's token and says
 * whether it works, and as which bot. The token is never part of the answer. Protected like all of
 * {@code /api/**}.
 */
@RestController
class TelegramCheckController {

    private final TelegramNotifierType telegram;

    TelegramCheckController(TelegramNotifierType telegram) {
        this.telegram = telegram;
    }

    @GetMapping("/api/channels/telegram/{name}/check")
    ResponseEntity<Map<String, Object>> check(@PathVariable String name) {
        TelegramNotifier notifier = telegram.channel(name)
                .orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(
                        HttpStatus.NOT_FOUND, "No enabled channel '" + name + "' of type telegram under relay.channels"),
                        null));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("channel", name);
        answer.put("chatId", notifier.chat());
        answer.put("apiUrl", notifier.settings().apiUrl());
        TelegramResponse response = notifier.checkToken();
        if (response instanceof TelegramResponse.Ok ok && ok.result() != null) {
            JsonNode bot = ok.result();
            answer.put("ok", true);
            Map<String, Object> me = new LinkedHashMap<>();
            me.put("id", bot.path("id").asLong());
            me.put("username", bot.path("username").asString(""));
            me.put("firstName", bot.path("first_name").asString(""));
            answer.put("bot", me);
            return ResponseEntity.ok(answer);
        }
        answer.put("ok", false);
        answer.put("error", response instanceof TelegramResponse.Failure failure ? "unreachable: " + failure.message()
                : response.toString());
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(answer);
    }
}
