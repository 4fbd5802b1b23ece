package com.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link FakeTelegramApi} answers the chat-side calls the way the real Bot API does, so the relay's silence and
 * ack buttons can be tested against it: callback buttons and their limits, {@code editMessageReplyMarkup}, the
 * updates queue ({@code getUpdates} with offset, limit, long polling and the one-poller rule), webhooks with the
 * secret header, and {@code answerCallbackQuery}. Plain HTTP against the fake; no Spring context.
 */
class FakeTelegramApiUpdatesTest {

    private static final String TOKEN = "424242:FAKE-updates-test-token_AAAABBBB";
    private static final String CHAT = "-100500";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final FakeTelegramApi.User ALICE = new FakeTelegramApi.User(7001, "alice_oncall", "Alice");

    private final FakeTelegramApi fake = FakeTelegramApi.start(TOKEN);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void close() {
        fake.close();
    }

    // ---- buttons

    @Test
    void callbackButtonsAreStoredRowByRowAndShownInTheResult() {
        Reply sent = call("sendMessage", Map.of("chat_id", CHAT, "text", "CPU high",
                "reply_markup", keyboard(List.of(button("🔕 Silence 1h", "silence:1h"), button("✅ Ack", "ack:42")),
                        List.of(Map.of("text", "📖 Runbook", "url", "https://runbooks.example.com/cpu")))));

        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.result().path("reply_markup").path("inline_keyboard").get(0).get(1).path("callback_data").asString())
                .isEqualTo("ack:42");
        FakeTelegramApi.Message message = fake.messages(CHAT).get(0);
        assertThat(message.keyboard()).hasSize(2);
        assertThat(message.keyboard().get(0)).extracting(b -> b.get("callback_data")).containsExactly("silence:1h", "ack:42");
        assertThat(message.buttons()).extracting(b -> b.get("text")).containsExactly("🔕 Silence 1h", "✅ Ack", "📖 Runbook");
    }

    @Test
    void callbackDataIsLimitedTo64BytesNotCharacters() {
        assertThat(send(button("ok", "a".repeat(64))).status()).isEqualTo(200);

        Reply ascii = send(button("too long", "a".repeat(65)));
        Reply hangul = send(button("too long", "가".repeat(22)));  // 22 characters, 66 bytes

        assertThat(ascii.status()).isEqualTo(400);
        assertThat(ascii.description()).isEqualTo("Bad Request: BUTTON_DATA_INVALID");
        assertThat(hangul.description()).isEqualTo("Bad Request: BUTTON_DATA_INVALID");
        assertThat(fake.messages(CHAT)).hasSize(1);
    }

    @Test
    void aButtonNeedsAnActionAndAUrlWinsOverCallbackData() {
        Reply bare = send(Map.of("text", "nothing to do"));
        Reply both = send(Map.of("text", "both", "url", "https://am.example.com/", "callback_data", "silence"));

        assertThat(bare.description())
                .isEqualTo("Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        assertThat(both.status()).isEqualTo(200);
        assertThat(fake.messages(CHAT).get(0).buttons()).containsExactly(Map.of("text", "both", "url", "https://am.example.com/"));
    }

    @Test
    void editMessageReplyMarkupReplacesOrRemovesTheButtons() {
        long id = send(button("✅ Ack", "ack:1")).result().path("message_id").asLong();

        Reply acked = call("editMessageReplyMarkup", Map.of("chat_id", CHAT, "message_id", id,
                "reply_markup", keyboard(List.of(button("↩️ Unack", "unack:1")))));
        Reply same = call("editMessageReplyMarkup", Map.of("chat_id", CHAT, "message_id", id,
                "reply_markup", keyboard(List.of(button("↩️ Unack", "unack:1")))));

        assertThat(acked.status()).isEqualTo(200);
        assertThat(fake.messages(CHAT).get(0).buttons()).extracting(b -> b.get("callback_data")).containsExactly("unack:1");
        assertThat(fake.messages(CHAT).get(0).edits()).as("the text was not edited").isEmpty();
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.description()).startsWith("Bad Request: message is not modified: ");

        Reply removed = call("editMessageReplyMarkup", Map.of("chat_id", CHAT, "message_id", id));
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.result().has("reply_markup")).isFalse();
        assertThat(fake.messages(CHAT).get(0).keyboard()).isEmpty();
        assertThat(call("editMessageReplyMarkup", Map.of("chat_id", CHAT, "message_id", id,
                "reply_markup", Map.of("inline_keyboard", List.of()))).description())
                .as("removing buttons that are already gone").startsWith("Bad Request: message is not modified");

        Reply unknown = call("editMessageReplyMarkup", Map.of("chat_id", CHAT, "message_id", id + 100,
                "reply_markup", keyboard(List.of(button("x", "x")))));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.description()).isEqualTo("Bad Request: message to edit not found");
    }

    // ---- helpers

    /** An answer of the fake; its toString shows no token. */
    record Reply(int status, JsonNode body) {

        JsonNode result() {
            return body.path("result");
        }

        String description() {
            return body.path("description").asString("");
        }
    }

    private Reply send(Map<String, String> button) {
        return call("sendMessage", Map.of("chat_id", CHAT, "text", "Alert", "reply_markup", keyboard(List.of(button))));
    }

    private static Map<String, String> button(String text, String data) {
        return Map.of("text", text, "callback_data", data);
    }

    @SafeVarargs
    private static Map<String, Object> keyboard(List<Map<String, String>>... rows) {
        return Map.of("inline_keyboard", List.of(rows));
    }

    private Reply call(String method, Map<String, ?> params) {
        return callAsync(method, params).join();
    }

    private CompletableFuture<Reply> callAsync(String method, Map<String, ?> params) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.url() + "/bot" + TOKEN + "/" + method))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(new LinkedHashMap<>(params))))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Reply(r.statusCode(), JSON.readTree(r.body())));
    }
}
