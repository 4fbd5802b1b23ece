package com.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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

    // ---- getUpdates

    @Test
    void anOffsetConfirmsTheUpdatesBelowIt() {
        fake.say(CHAT, ALICE, "/alerts");
        fake.say(CHAT, ALICE, "/alerts@" + FakeTelegramApi.BOT_USERNAME + " critical");
        fake.say(CHAT, ALICE, "thanks");

        JsonNode all = call("getUpdates", Map.of()).result();
        assertThat(all).hasSize(3);
        long first = all.get(0).path("update_id").asLong();
        assertThat(all).extracting(u -> u.path("update_id").asLong()).containsExactly(first, first + 1, first + 2);
        assertThat(call("getUpdates", Map.of()).result()).as("nothing confirmed yet").hasSize(3);
        assertThat(call("getUpdates", Map.of("limit", 2)).result()).hasSize(2);

        JsonNode rest = call("getUpdates", Map.of("offset", first + 1)).result();
        assertThat(rest).extracting(u -> u.path("update_id").asLong()).containsExactly(first + 1, first + 2);
        assertThat(call("getUpdates", Map.of("offset", first)).result()).as("confirmed updates are gone").hasSize(2);
        assertThat(call("getUpdates", Map.of("offset", first + 3)).result()).isEmpty();
        assertThat(fake.pendingUpdateCount()).isZero();

        fake.say(CHAT, ALICE, "/silence");
        assertThat(call("getUpdates", Map.of("offset", first + 3)).result().get(0).path("update_id").asLong())
                .as("update_id keeps increasing").isEqualTo(first + 3);
    }

    @Test
    void aMessageUpdateLooksLikeTelegramsWithABotCommandEntity() {
        long messageId = fake.say(CHAT, ALICE, "/alerts@" + FakeTelegramApi.BOT_USERNAME + " critical");

        JsonNode message = call("getUpdates", Map.of()).result().get(0).path("message");
        assertThat(message.path("message_id").asLong()).isEqualTo(messageId);
        assertThat(message.path("from").path("id").asLong()).isEqualTo(7001);
        assertThat(message.path("from").path("is_bot").asBoolean()).isFalse();
        assertThat(message.path("from").path("username").asString()).isEqualTo("alice_oncall");
        assertThat(message.path("chat").path("id").asLong()).isEqualTo(-100500);
        assertThat(message.path("chat").path("type").asString()).isEqualTo("supergroup");
        assertThat(message.path("entities").get(0).path("type").asString()).isEqualTo("bot_command");
        assertThat(message.path("entities").get(0).path("offset").asInt()).isZero();
        assertThat(message.path("entities").get(0).path("length").asInt())
                .isEqualTo(("/alerts@" + FakeTelegramApi.BOT_USERNAME).length());

        Reply reply = call("sendMessage", Map.of("chat_id", CHAT, "text", "2 firing",
                "reply_parameters", Map.of("message_id", messageId)));
        assertThat(reply.status()).as("the bot can reply to the user's message").isEqualTo(200);
        assertThat(call("editMessageText", Map.of("chat_id", CHAT, "message_id", messageId, "text", "x")).description())
                .isEqualTo("Bad Request: message can't be edited");
    }

    @Test
    void allowedUpdatesAreKeptAndFilterLaterUpdates() {
        call("getUpdates", Map.of("allowed_updates", List.of("callback_query")));
        long messageId = send(button("✅ Ack", "ack:7")).result().path("message_id").asLong();

        assertThat(fake.say(CHAT, ALICE, "/alerts")).isPositive();
        String tapped = fake.tap(CHAT, messageId, ALICE, "ack:7");

        JsonNode updates = call("getUpdates", Map.of()).result();
        assertThat(updates).hasSize(1);
        assertThat(updates.get(0).path("callback_query").path("id").asString()).isEqualTo(tapped);

        call("getUpdates", Map.of("allowed_updates", List.of()));
        fake.say(CHAT, ALICE, "/alerts");
        assertThat(call("getUpdates", Map.of()).result()).as("an empty list is the default again").hasSize(2);
    }

    @Test
    void aLongPollReturnsAsSoonAsAnUpdateIsQueued() {
        long started = System.nanoTime();
        CompletableFuture<Reply> poll = callAsync("getUpdates", Map.of("timeout", 5));
        await().atMost(Duration.ofSeconds(3)).until(fake::isPolling);

        fake.say(CHAT, ALICE, "/alerts");

        Reply reply = poll.orTimeout(3, TimeUnit.SECONDS).join();
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.result()).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        assertThat(fake.isPolling()).isFalse();
    }

    @Test
    void aLongPollWithoutUpdatesEndsEmptyAfterItsTimeout() {
        long started = System.nanoTime();

        Reply reply = call("getUpdates", Map.of("timeout", 1));

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.result()).isEmpty();
        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
        assertThat(call("getUpdates", Map.of("timeout", 0)).result()).as("timeout 0 answers at once").isEmpty();
    }

    @Test
    void aSecondPollerEndsTheFirstWith409AndIsCounted() {
        CompletableFuture<Reply> first = callAsync("getUpdates", Map.of("timeout", 5));
        await().atMost(Duration.ofSeconds(3)).until(fake::isPolling);

        CompletableFuture<Reply> second = callAsync("getUpdates", Map.of("timeout", 1));

        Reply ended = first.orTimeout(3, TimeUnit.SECONDS).join();
        assertThat(ended.status()).isEqualTo(409);
        assertThat(ended.description()).isEqualTo(FakeTelegramApi.TERMINATED_BY_OTHER_POLL);
        assertThat(second.orTimeout(4, TimeUnit.SECONDS).join().status()).isEqualTo(200);
        assertThat(fake.getUpdatesConflicts()).isEqualTo(1);
    }

    @Test
    void onePollerAfterAnotherIsNoConflict() {
        call("getUpdates", Map.of("timeout", 1));
        call("getUpdates", Map.of("timeout", 1));

        assertThat(fake.getUpdatesConflicts()).isZero();
    }

    // ---- taps

    @Test
    void aTapIsACallbackQueryWithTheMessageAsShownNow() {
        long messageId = send(button("✅ Ack", "ack:9")).result().path("message_id").asLong();

        String id = fake.tap(CHAT, messageId, ALICE, "ack:9");

        JsonNode query = call("getUpdates", Map.of()).result().get(0).path("callback_query");
        assertThat(query.path("id").asString()).isEqualTo(id);
        assertThat(query.path("data").asString()).isEqualTo("ack:9");
        assertThat(query.path("chat_instance").asString()).isNotEmpty();
        assertThat(query.path("from").path("id").asLong()).isEqualTo(7001);
        assertThat(query.path("from").path("first_name").asString()).isEqualTo("Alice");
        assertThat(query.path("message").path("message_id").asLong()).isEqualTo(messageId);
        assertThat(query.path("message").path("chat").path("id").asLong()).isEqualTo(-100500);
        assertThat(query.path("message").path("text").asString()).isEqualTo("Alert");
        assertThat(query.path("message").path("reply_markup").path("inline_keyboard").get(0).get(0)
                .path("callback_data").asString()).isEqualTo("ack:9");
        assertThatThrownBy(() -> fake.tap(CHAT, messageId, ALICE, "silence:1h"))
                .as("a user can only tap a button the message shows").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTapIsAnsweredOnce() {
        long messageId = send(button("✅ Ack", "ack:9")).result().path("message_id").asLong();
        String id = fake.tap(CHAT, messageId, ALICE, "ack:9");
        assertThat(fake.callbackAnswer(id)).isNull();

        Reply tooLong = call("answerCallbackQuery", Map.of("callback_query_id", id, "text", "x".repeat(201)));
        Reply answered = call("answerCallbackQuery", Map.of("callback_query_id", id, "text", "Acked by Alice",
                "show_alert", true));
        Reply again = call("answerCallbackQuery", Map.of("callback_query_id", id, "text", "again"));
        Reply unknown = call("answerCallbackQuery", Map.of("callback_query_id", "123"));

        assertThat(tooLong.description()).isEqualTo("Bad Request: MESSAGE_TOO_LONG");
        assertThat(answered.status()).isEqualTo(200);
        assertThat(answered.result().asBoolean()).isTrue();
        assertThat(fake.callbackAnswer(id).text()).isEqualTo("Acked by Alice");
        assertThat(fake.callbackAnswer(id).showAlert()).isTrue();
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.description())
                .isEqualTo("Bad Request: query is too old and response timeout expired or query ID is invalid");
        assertThat(unknown.description()).isEqualTo(again.description());
        assertThat(fake.callbackAnswer(id).text()).as("the first answer stands").isEqualTo("Acked by Alice");
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
