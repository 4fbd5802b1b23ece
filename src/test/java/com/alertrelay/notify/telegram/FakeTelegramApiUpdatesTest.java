package com.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

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
    private static final String WEBHOOK_SECRET = "relay-webhook_secret-0123456789";
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

    // ---- webhook

    @Test
    void aWebhookGetsEachUpdateWithTheSecretHeaderAndGetUpdatesIsRefused() {
        try (Receiver relay = new Receiver(WEBHOOK_SECRET)) {
            Reply set = call("setWebhook", Map.of("url", relay.url(), "secret_token", WEBHOOK_SECRET));
            assertThat(set.status()).isEqualTo(200);
            assertThat(set.description()).isEqualTo("Webhook was set");

            Reply refused = call("getUpdates", Map.of());
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.description()).isEqualTo(FakeTelegramApi.WEBHOOK_ACTIVE);

            long first = fake.enqueue("message", JSON.readTree("{\"message_id\":1,\"text\":\"/alerts\"}"));
            fake.say(CHAT, ALICE, "/silence");
            await().atMost(Duration.ofSeconds(5)).until(() -> relay.received().size() == 2);

            assertThat(relay.received()).extracting(r -> r.update().path("update_id").asLong())
                    .as("one update per request, in order").containsExactly(first, first + 1);
            assertThat(relay.received()).extracting(Received::secret).containsOnly(WEBHOOK_SECRET);
            assertThat(relay.received().get(1).update().path("message").path("text").asString()).isEqualTo("/silence");
            // a call is recorded once the receiver's answer is back, just after the receiver saw it
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(fake.webhookDeliveries())
                    .extracting(FakeTelegramApi.WebhookDelivery::status).containsExactly(200, 200));
            JsonNode info = call("getWebhookInfo", Map.of()).result();
            assertThat(info.path("url").asString()).isEqualTo(relay.url());
            assertThat(info.path("has_custom_certificate").asBoolean()).isFalse();
            assertThat(info.path("pending_update_count").asInt()).isZero();
        }
    }

    @Test
    void aForgedDeliveryWithAWrongSecretIsRecordedWithTheRelaysAnswer() {
        try (Receiver relay = new Receiver(WEBHOOK_SECRET)) {
            call("setWebhook", Map.of("url", relay.url(), "secret_token", WEBHOOK_SECRET));
            fake.say(CHAT, ALICE, "/alerts");
            await().atMost(Duration.ofSeconds(5)).until(() -> fake.webhookDeliveries().size() == 1);
            JsonNode update = fake.updates().get(0);

            int wrong = fake.postToWebhookWithSecret(update, "wrong");
            int none = fake.postToWebhookWithSecret(update, null);

            assertThat(wrong).isEqualTo(401);
            assertThat(none).isEqualTo(401);
            assertThat(relay.received()).extracting(Received::secret).containsExactly(WEBHOOK_SECRET, "wrong", null);
            assertThat(fake.webhookDeliveries()).extracting(d -> d.rightSecret() + " " + d.status())
                    .containsExactly("true 200", "false 401", "false 401");
        }
    }

    @Test
    void aFailedDeliveryIsRetriedAFewTimesThenDropped() {
        try (Receiver relay = new Receiver(WEBHOOK_SECRET, 500, 503)) {
            call("setWebhook", Map.of("url", relay.url(), "secret_token", WEBHOOK_SECRET));
            fake.say(CHAT, ALICE, "/alerts");
            await().atMost(Duration.ofSeconds(5)).until(() -> relay.received().size() == 3);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(fake.webhookDeliveries())
                    .extracting(d -> d.attempt() + ":" + d.status()).containsExactly("1:500", "2:503", "3:200"));
            assertThat(call("getWebhookInfo", Map.of()).result().path("last_error_message").asString())
                    .isEqualTo("Wrong response from the webhook: 503 Service Unavailable");
        }
        try (Receiver down = new Receiver(WEBHOOK_SECRET, 502, 502, 502)) {
            FakeTelegramApi other = FakeTelegramApi.start(TOKEN);
            try (other) {
                other.say(CHAT, ALICE, "lost");
                other.say(CHAT, ALICE, "/alerts");
                assertThat(callOn(other, "setWebhook", Map.of("url", down.url(), "secret_token", WEBHOOK_SECRET,
                        "max_connections", 1)).status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(5)).until(() -> down.received().size() == 4);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(other.webhookDeliveries())
                        .extracting(d -> d.attempt() + ":" + d.status())
                        .as("the first update is given up after " + FakeTelegramApi.WEBHOOK_ATTEMPTS + " tries")
                        .containsExactly("1:502", "2:502", "3:502", "1:200"));
                assertThat(down.received().get(3).update().path("message").path("text").asString()).isEqualTo("/alerts");
                await().atMost(Duration.ofSeconds(3)).until(() -> other.pendingUpdateCount() == 0);
            }
        }
    }

    @Test
    void settingAWebhookEndsALongPollAndDeletingItAllowsGetUpdatesAgain() {
        try (Receiver relay = new Receiver(WEBHOOK_SECRET)) {
            CompletableFuture<Reply> poll = callAsync("getUpdates", Map.of("timeout", 5));
            await().atMost(Duration.ofSeconds(3)).until(fake::isPolling);

            call("setWebhook", Map.of("url", relay.url(), "drop_pending_updates", true));

            Reply ended = poll.orTimeout(3, TimeUnit.SECONDS).join();
            assertThat(ended.status()).isEqualTo(409);
            assertThat(ended.description()).isEqualTo("Conflict: terminated by setWebhook request");
            assertThat(fake.getUpdatesConflicts()).as("not two pollers").isZero();

            Reply deleted = call("deleteWebhook", Map.of());
            assertThat(deleted.description()).isEqualTo("Webhook was deleted");
            assertThat(call("deleteWebhook", Map.of()).description()).isEqualTo("Webhook is already deleted");
            fake.say(CHAT, ALICE, "/alerts");
            assertThat(call("getUpdates", Map.of()).result()).hasSize(1);
            assertThat(call("getWebhookInfo", Map.of()).result().path("url").asString()).isEmpty();
        }
    }

    @Test
    void setWebhookChecksItsParametersLikeTelegram() {
        assertThat(setWebhookOnAFreshBot(Map.of("url", "http://127.0.0.1:9/hook", "secret_token", "not allowed!")))
                .isEqualTo("Bad Request: secret token contains unallowed characters");
        assertThat(setWebhookOnAFreshBot(Map.of("url", "http://127.0.0.1:9/hook", "secret_token", "s".repeat(257))))
                .isEqualTo("Bad Request: secret token is too long");
        assertThat(setWebhookOnAFreshBot(Map.of("url", "relay/telegram")))
                .isEqualTo("Bad Request: invalid webhook URL specified");
        assertThat(setWebhookOnAFreshBot(Map.of("url", "https://relay.example.com/telegram")))
                .as("the fake connects to nothing beyond 127.0.0.1").startsWith("Bad Request: bad webhook: ");

        Reply set = call("setWebhook", Map.of("url", "http://127.0.0.1:9/hook", "secret_token", "s".repeat(256)));
        Reply tooSoon = call("setWebhook", Map.of("url", "http://127.0.0.1:9/other"));

        assertThat(set.status()).isEqualTo(200);
        assertThat(tooSoon.status()).as("setWebhook with a url at most once a second").isEqualTo(429);
        assertThat(tooSoon.body().path("parameters").path("retry_after").asInt()).isEqualTo(1);
    }

    private String setWebhookOnAFreshBot(Map<String, ?> params) {
        try (FakeTelegramApi bot = FakeTelegramApi.start(TOKEN)) {
            Reply reply = callOn(bot, "setWebhook", params);
            assertThat(reply.status()).isEqualTo(400);
            assertThat(callOn(bot, "getWebhookInfo", Map.of()).result().path("url").asString()).isEmpty();
            return reply.description();
        }
    }

    @Test
    void aMethodInTheWebhooksAnswerIsRun() {
        long messageId = send(button("✅ Ack", "ack:3")).result().path("message_id").asLong();
        try (Receiver relay = new Receiver(WEBHOOK_SECRET)) {
            relay.answerWith(update -> "{\"method\":\"answerCallbackQuery\",\"callback_query_id\":\""
                    + update.path("callback_query").path("id").asString() + "\",\"text\":\"Acked\"}");
            call("setWebhook", Map.of("url", relay.url(), "secret_token", WEBHOOK_SECRET));

            String id = fake.tap(CHAT, messageId, ALICE, "ack:3");

            await().atMost(Duration.ofSeconds(5)).until(() -> fake.callbackAnswer(id) != null);
            assertThat(fake.callbackAnswer(id).text()).isEqualTo("Acked");
        }
    }

    // ---- helpers

    record Received(String secret, JsonNode update) {
    }

    /**
     * The relay's side of a webhook on 127.0.0.1: records each POST and answers 401 without the right
     * {@code X-Telegram-Bot-Api-Secret-Token}, else the scripted statuses in turn, then 200.
     */
    static final class Receiver implements AutoCloseable {

        private final HttpServer server;
        private final List<Received> received = new CopyOnWriteArrayList<>();
        private final Deque<Integer> statuses = new ConcurrentLinkedDeque<>();
        private volatile Function<JsonNode, String> answer = update -> "";

        Receiver(String secret, Integer... statuses) {
            this.statuses.addAll(List.of(statuses));
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/telegram/hook", exchange -> {
                try (exchange) {
                    String given = exchange.getRequestHeaders().getFirst("X-Telegram-Bot-Api-Secret-Token");
                    JsonNode update = JSON.readTree(exchange.getRequestBody().readAllBytes());
                    received.add(new Received(given, update));
                    Integer scripted = secret.equals(given) ? this.statuses.poll() : Integer.valueOf(401);
                    int status = scripted == null ? 200 : scripted;
                    byte[] body = (status == 200 ? answer.apply(update) : "").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/telegram/hook";
        }

        List<Received> received() {
            return List.copyOf(received);
        }

        void answerWith(Function<JsonNode, String> answer) {
            this.answer = answer;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

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
        return callOn(fake, method, params);
    }

    private Reply callOn(FakeTelegramApi api, String method, Map<String, ?> params) {
        return callAsync(api, method, params).orTimeout(20, TimeUnit.SECONDS).join();
    }

    private CompletableFuture<Reply> callAsync(String method, Map<String, ?> params) {
        return callAsync(fake, method, params);
    }

    private CompletableFuture<Reply> callAsync(FakeTelegramApi api, String method, Map<String, ?> params) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.url() + "/bot" + TOKEN + "/" + method))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(new LinkedHashMap<>(params))))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Reply(r.statusCode(), JSON.readTree(r.body())));
    }
}
