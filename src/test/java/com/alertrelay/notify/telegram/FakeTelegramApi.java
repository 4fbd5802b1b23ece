package com.alertrelay.notify.telegram;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stateful stand-in for Telegram's Bot API on 127.0.0.1 (JDK {@code HttpServer}, no extra dependency),
 * checking requests the way the real one does: the token in the path ({@code /bot<token>/<method>}, else
 * 401), {@code chat_id}, {@code parse_mode=HTML} parsed by {@link TelegramHtmlValidator} (400 "can't parse
 * entities"), 1–4096 characters after entity parsing (400 "message is too long"), button URLs, reply
 * targets, and a per-chat sliding-window rate limit answered with 429 and {@code retry_after}. Chats can be
 * made to be not found, to block the bot, or to migrate to a supergroup; messages can be made uneditable;
 * any answer can be scripted. Supports {@code sendMessage}, {@code editMessageText}, {@code editMessageReplyMarkup}
 * and {@code getMe}, and records every request and every accepted message with its {@code message_id} and the inline
 * keyboard it shows now (url and callback_data buttons).
 *
 * <p>For acting from the chat, the fake is one bot with one updates queue (a second bot is a second fake): tests make
 * users {@link #tap tap} buttons and {@link #say say} commands, and the relay receives those updates through
 * {@code getUpdates} (offset, limit, long polling, allowed_updates, and 409 for a second poller, as with two replicas
 * polling one token) or through a webhook ({@code setWebhook}/{@code deleteWebhook}/{@code getWebhookInfo}; POSTs to
 * 127.0.0.1 with {@code X-Telegram-Bot-Api-Secret-Token}, in order, a few tries each), and answers taps with
 * {@code answerCallbackQuery}, once each. The behaviour follows the Bot API documentation and, where it is silent,
 * the tdlib/telegram-bot-api server; what is not modelled is said where it matters.
 */
public final class FakeTelegramApi implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String BOT_NAME = "Alert Relay Test";
    static final String BOT_USERNAME = "alert_relay_test_bot";
    /** {@code callback_data} is 1–64 bytes (not characters) of UTF-8. */
    static final int MAX_CALLBACK_DATA_BYTES = 64;
    private static final List<String> OTHER_BUTTONS = List.of("web_app", "login_url", "switch_inline_query",
            "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay");
    /** Telegram holds a long poll at most this long, whatever {@code timeout} asks (LONG_POLL_MAX_TIMEOUT). */
    static final int MAX_POLL_SECONDS = 50;
    static final int MAX_CALLBACK_ANSWER_LENGTH = 200;
    static final String TERMINATED_BY_OTHER_POLL =
            "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
    static final String WEBHOOK_ACTIVE =
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
    private static final String QUERY_INVALID =
            "Bad Request: query is too old and response timeout expired or query ID is invalid";
    /** What a bot gets when it never chose: everything but these (Bot API {@code allowed_updates}). */
    private static final Set<String> NOT_BY_DEFAULT = Set.of("chat_member", "message_reaction", "message_reaction_count");
    private static final Set<String> UPDATE_TYPES = Set.of("message", "edited_message", "channel_post",
            "edited_channel_post", "business_connection", "business_message", "edited_business_message",
            "deleted_business_messages", "message_reaction", "message_reaction_count", "inline_query",
            "chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query", "purchased_paid_media",
            "poll", "poll_answer", "my_chat_member", "chat_member", "chat_join_request", "chat_boost",
            "removed_chat_boost");
    /** Telegram marks {@code /command} and {@code /command@bot} as bot_command entities. */
    private static final Pattern COMMAND = Pattern.compile("(?<![\\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?");
    /**
     * How often the fake offers one update to the webhook before dropping it (Telegram keeps retrying, with growing
     * delays, for hours); the retries here wait 100 ms, then 200 ms.
     */
    static final int WEBHOOK_ATTEMPTS = 3;
    /** The real server does not run these when a webhook answer asks for them. */
    private static final Set<String> NOT_FROM_WEBHOOK_ANSWERS = Set.of("setwebhook", "deletewebhook", "close", "logout");
    /** Method names are case-insensitive in the Bot API. */
    private static final List<String> METHODS = List.of("getMe", "sendMessage", "editMessageText",
            "editMessageReplyMarkup", "answerCallbackQuery", "getUpdates", "setWebhook", "deleteWebhook",
            "getWebhookInfo");
    private static final String NOT_MODIFIED = "Bad Request: message is not modified: specified new message content "
            + "and reply markup are exactly the same as a current content and reply markup of the message";

    /**
     * A message as the chat shows it now; {@code edits} are the texts it was edited to, in order.
     * {@code keyboard} is its inline keyboard as it is shown now (after {@code editMessageText} and
     * {@code editMessageReplyMarkup}), row by row; a button is {@code {text, url}} or {@code {text, callback_data}}.
     */
    public record Message(String chatId, long messageId, String html, String text, Long replyTo, Long threadId,
            boolean silent, List<List<Map<String, String>>> keyboard, boolean linkPreviewDisabled, List<String> edits,
            Instant at) {

        /** The buttons shown now, row after row, as one list. */
        public List<Map<String, String>> buttons() {
            return keyboard.stream().flatMap(List::stream).toList();
        }
    }

    /** A person in a chat, for the updates tests make the fake produce ({@code username} may be null). */
    public record User(long id, String username, String firstName) {
    }

    /** How {@code answerCallbackQuery} answered a tap: the toast (or alert, with {@code showAlert}) the user saw. */
    public record CallbackAnswer(String queryId, String text, boolean showAlert, String url, Instant at) {
    }

    /**
     * One POST of an update to the webhook: {@code attempt} counts from 1 per update; {@code rightSecret} says whether
     * the {@code X-Telegram-Bot-Api-Secret-Token} header carried the secret set with {@code setWebhook} (always so
     * for the fake's own deliveries); {@code status} is the HTTP status the webhook answered, -1 for none
     * ({@code error} then says why).
     */
    public record WebhookDelivery(Instant at, long updateId, int attempt, boolean rightSecret, int status, String error) {
    }

    /** Every call, accepted or not. */
    public record Request(Instant at, String method, String chatId, int status, String description, JsonNode body) {
    }

    private final String token;
    private final HttpServer server;
    /** Long polls hold a thread each (at most {@value #MAX_POLL_SECONDS} s), so more than a handful. */
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, List<Message>> chats = new LinkedHashMap<>();
    private final Map<String, Long> nextId = new HashMap<>();
    private final Map<String, Deque<Instant>> window = new HashMap<>();
    private final Set<String> notFound = new HashSet<>();
    private final Set<String> blocked = new HashSet<>();
    private final Set<String> kicked = new HashSet<>();
    private final Map<String, Long> migrated = new HashMap<>();
    private final Set<String> uneditable = new HashSet<>();
    private final Map<String, Deque<String[]>> scripted = new HashMap<>();
    private final Map<String, Map<Integer, String[]>> scriptedNth = new HashMap<>();
    private final Map<String, Integer> calls = new HashMap<>();
    private int limit = Integer.MAX_VALUE;
    private Duration limitWindow = Duration.ofMinutes(1);

    // The updates of this bot (one fake is one bot token: a second bot is a second fake). Waiting long polls
    // wait() on this object; everything that can end a wait calls notifyAll().
    private final Deque<ObjectNode> pending = new ArrayDeque<>();
    private final List<ObjectNode> created = new ArrayList<>();
    private long lastUpdateId = 815_000_000L;
    private Set<String> allowedUpdates;
    private long pollTicket;
    private String pollEndedBy;
    private int polling;
    private int getUpdatesConflicts;
    private boolean closed;
    private final Set<String> userMessages = new HashSet<>();
    private final Map<String, Boolean> callbackQueries = new HashMap<>();
    private final Map<String, CallbackAnswer> callbackAnswers = new HashMap<>();
    private long lastCallbackQueryId = 4_382_000_000_000_000_000L;
    private String webhookUrl = "";
    private String webhookSecret = "";
    private int webhookMaxConnections;
    private Instant nextSetWebhook = Instant.EPOCH;
    private long lastWebhookErrorDate;
    private String lastWebhookError;
    private boolean delivering;
    private final List<WebhookDelivery> deliveries = new ArrayList<>();
    /** Delivers one update at a time, so in order. */
    private final ExecutorService webhookSender = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "fake-telegram-webhook");
        thread.setDaemon(true);
        return thread;
    });
    private HttpClient webhookClient;

    private FakeTelegramApi(String token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static FakeTelegramApi start(String token) {
        try {
            return new FakeTelegramApi(token);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        server.stop(0);
        executor.shutdownNow();
        webhookSender.shutdownNow();
    }

    // ---- scripting

    /** At most {@code messages} sends and edits per chat in any {@code window}; more get 429. */
    public synchronized FakeTelegramApi limitPerChat(int messages, Duration window) {
        this.limit = messages;
        this.limitWindow = window;
        return this;
    }

    public synchronized FakeTelegramApi chatNotFound(String chatId) {
        notFound.add(chatId);
        return this;
    }

    public synchronized FakeTelegramApi blockedBy(String chatId) {
        blocked.add(chatId);
        return this;
    }

    /** The bot was removed from group {@code chatId}: 403 "bot was kicked from the group chat". */
    public synchronized FakeTelegramApi kickedFrom(String chatId) {
        kicked.add(chatId);
        return this;
    }

    /** The bot was added to the chat again. */
    public synchronized FakeTelegramApi unblockedBy(String chatId) {
        blocked.remove(chatId);
        kicked.remove(chatId);
        return this;
    }

    /** The group {@code chatId} became supergroup {@code newChatId}: sends to the old id get 400 with migrate_to_chat_id. */
    public synchronized FakeTelegramApi migrate(String chatId, long newChatId) {
        migrated.put(chatId, newChatId);
        return this;
    }

    /** Edits of this message get 400 "message can't be edited" (as Telegram answers for some old or special messages). */
    public synchronized FakeTelegramApi uneditable(String chatId, long messageId) {
        uneditable.add(chatId + "/" + messageId);
        return this;
    }

    /** Deletes a message: edits get "message to edit not found". */
    public synchronized FakeTelegramApi delete(String chatId, long messageId) {
        chats.getOrDefault(chatId, new ArrayList<>()).removeIf(m -> m.messageId() == messageId);
        return this;
    }

    /**
     * The next call of {@code method} to {@code chatId} is answered with this status and body instead; {@code chatId}
     * null for methods without one ({@code getUpdates}, {@code answerCallbackQuery}, …).
     */
    public synchronized FakeTelegramApi script(String method, String chatId, int status, String body) {
        scripted.computeIfAbsent(method + "|" + chatId, k -> new ArrayDeque<>()).add(new String[] {String.valueOf(status), body});
        return this;
    }

    /** The {@code nth} call (1-based, counted from now) of {@code method} to {@code chatId} gets this answer instead. */
    public synchronized FakeTelegramApi scriptNth(String method, String chatId, int nth, int status, String body) {
        String key = method + "|" + chatId;
        scriptedNth.computeIfAbsent(key, k -> new HashMap<>())
                .put(calls.getOrDefault(key, 0) + nth, new String[] {String.valueOf(status), body});
        return this;
    }

    public FakeTelegramApi script429(String chatId, int retryAfter) {
        return script("sendMessage", chatId, 429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: "
                + "retry after " + retryAfter + "\",\"parameters\":{\"retry_after\":" + retryAfter + "}}");
    }

    // ---- what happened

    public synchronized List<Message> messages(String chatId) {
        return List.copyOf(chats.getOrDefault(chatId, List.of()));
    }

    public synchronized List<Message> allMessages() {
        return chats.values().stream().flatMap(List::stream).toList();
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<Request> requests(String chatId) {
        return requests.stream().filter(r -> chatId.equals(r.chatId())).toList();
    }

    public synchronized long count(String chatId, int status) {
        return requests.stream().filter(r -> chatId.equals(r.chatId()) && r.status() == status).count();
    }

    /** Every update queued so far, in order, confirmed or not (copies). */
    public synchronized List<JsonNode> updates() {
        return created.stream().map(u -> (JsonNode) u.deepCopy()).toList();
    }

    /** Updates not yet confirmed by a {@code getUpdates} offset (nor delivered to the webhook). */
    public synchronized int pendingUpdateCount() {
        return pending.size();
    }

    /**
     * How many {@code getUpdates} were ended with 409 "terminated by other getUpdates request": two pollers on one
     * token. An "only one replica polls" test expects 0.
     */
    public synchronized int getUpdatesConflicts() {
        return getUpdatesConflicts;
    }

    /** Whether a {@code getUpdates} long poll is being held now (so a test can wait until the relay polls). */
    public synchronized boolean isPolling() {
        return polling > 0;
    }

    /** Every POST to the webhook so far, the fake's deliveries and retries and {@link #postToWebhookWithSecret}'s. */
    public synchronized List<WebhookDelivery> webhookDeliveries() {
        return List.copyOf(deliveries);
    }

    /** How {@code answerCallbackQuery} answered the tap {@code queryId}, or null while it is unanswered. */
    public synchronized CallbackAnswer callbackAnswer(String queryId) {
        return callbackAnswers.get(queryId);
    }

    // ---- what users do

    /**
     * {@code from} taps the button with {@code callbackData} under the bot's message: queues a {@code callback_query}
     * update carrying the message as the chat shows it now, and returns the query's id for
     * {@code answerCallbackQuery}. Like a real client, only a button the message shows can be tapped.
     */
    public synchronized String tap(String chatId, long messageId, User from, String callbackData) {
        Message message = find(chatId, messageId);
        if (message == null) {
            throw new IllegalArgumentException("chat " + chatId + " has no message " + messageId + " of the bot to tap");
        }
        if (message.buttons().stream().noneMatch(b -> callbackData.equals(b.get("callback_data")))) {
            throw new IllegalArgumentException("message " + messageId + " in chat " + chatId
                    + " shows no button with callback_data " + callbackData + "; it shows " + message.keyboard());
        }
        String id = String.valueOf(++lastCallbackQueryId);
        ObjectNode query = JSON.createObjectNode();
        query.put("id", id);
        query.set("from", user(from));
        query.set("message", result(message));
        query.put("chat_instance", String.valueOf(chatId.hashCode() * 2_654_435_761L));
        query.put("data", callbackData);
        callbackQueries.put(id, false);
        enqueue("callback_query", query);
        return id;
    }

    /**
     * {@code from} writes {@code text} in the chat ({@code /alerts} or {@code /alerts@bot} get a bot_command
     * entity): queues a {@code message} update and returns the new message's id, which the bot may reply to.
     * Privacy mode is not modelled: the bot gets every message.
     */
    public synchronized long say(String chatId, User from, String text) {
        long id = nextId.merge(chatId, 1L, Long::sum);
        userMessages.add(chatId + "/" + id);
        ObjectNode message = JSON.createObjectNode();
        message.put("message_id", id);
        message.set("from", user(from));
        message.set("chat", chat(chatId, from));
        message.put("date", Instant.now().getEpochSecond());
        message.put("text", text);
        Matcher command = COMMAND.matcher(text);
        ArrayNode entities = JSON.createArrayNode();
        while (command.find()) {
            ObjectNode entity = entities.addObject();
            entity.put("offset", command.start());  // UTF-16 code units, like Java's
            entity.put("length", command.end() - command.start());
            entity.put("type", "bot_command");
        }
        if (!entities.isEmpty()) {
            message.set("entities", entities);
        }
        enqueue("message", message);
        return id;
    }

    /**
     * Queues an update {@code {"update_id": n, type: payload}} and returns n, or -1 when the bot's
     * {@code allowed_updates} exclude {@code type} (Telegram then never creates it).
     */
    public synchronized long enqueue(String type, JsonNode payload) {
        boolean allowed = allowedUpdates == null ? !NOT_BY_DEFAULT.contains(type) : allowedUpdates.contains(type);
        if (!allowed) {
            return -1;
        }
        ObjectNode update = JSON.createObjectNode();
        update.put("update_id", ++lastUpdateId);
        update.set(type, payload.deepCopy());
        pending.addLast(update);
        created.add(update);
        notifyAll();
        deliverLater();
        return lastUpdateId;
    }

    // ---- the webhook

    /**
     * POSTs {@code update} to the webhook now with {@code secretToken} in {@code X-Telegram-Bot-Api-Secret-Token}
     * (none when null), as a forger who guessed the URL would: a test of the relay's secret check. Recorded in
     * {@link #webhookDeliveries()}; the update is not queued. Returns the HTTP status, or -1 when nothing answered.
     */
    public int postToWebhookWithSecret(JsonNode update, String secretToken) {
        String url;
        synchronized (this) {
            if (webhookUrl.isEmpty()) {
                throw new IllegalStateException("no webhook is set");
            }
            url = webhookUrl;
        }
        Posted posted = post(url, update, secretToken);
        synchronized (this) {
            deliveries.add(new WebhookDelivery(Instant.now(), update.path("update_id").asLong(), 1,
                    webhookSecret.equals(secretToken == null ? "" : secretToken), posted.status, posted.error));
        }
        if (posted.ok()) {
            callFromWebhookAnswer(posted);
        }
        return posted.status;
    }

    private void deliverLater() {
        if (webhookUrl.isEmpty() || pending.isEmpty() || delivering || closed) {
            return;
        }
        delivering = true;
        webhookSender.execute(this::deliverPending);
    }

    /**
     * Offers the pending updates to the webhook, oldest first, one request each, with the secret header when one is
     * set; up to {@value #WEBHOOK_ATTEMPTS} tries per update. A 2xx confirms the update (and a {@code method} in a
     * JSON answer is run, as Telegram does); after the last failed try the update is dropped and the error is shown by
     * getWebhookInfo. Stops when the webhook is deleted or changed (the update then stays pending).
     */
    private void deliverPending() {
        for (int n = 0; n < 10_000; n++) {  // a longer backlog is picked up by the next deliverLater()
            ObjectNode update;
            String url;
            String secret;
            synchronized (this) {
                if (closed || webhookUrl.isEmpty() || pending.isEmpty()) {
                    delivering = false;
                    return;
                }
                update = pending.peekFirst();
                url = webhookUrl;
                secret = webhookSecret;
            }
            boolean done = false;
            for (int attempt = 1; attempt <= WEBHOOK_ATTEMPTS && !done; attempt++) {
                if (attempt > 1 && !pause(100L << (attempt - 2))) {
                    return;
                }
                Posted posted = post(url, update, secret);
                boolean changed;
                synchronized (this) {
                    deliveries.add(new WebhookDelivery(Instant.now(), update.path("update_id").asLong(), attempt, true,
                            posted.status, posted.error));
                    changed = closed || !url.equals(webhookUrl) || !secret.equals(webhookSecret);
                    done = posted.ok();
                    if (!done && !changed) {
                        lastWebhookErrorDate = Instant.now().getEpochSecond();
                        lastWebhookError = posted.error;
                    }
                    if (done || attempt == WEBHOOK_ATTEMPTS && !changed) {
                        pending.remove(update);
                    }
                }
                if (done) {
                    callFromWebhookAnswer(posted);
                }
                if (changed) {
                    synchronized (this) {
                        delivering = false;
                        deliverLater();
                    }
                    return;
                }
            }
        }
        synchronized (this) {
            delivering = false;
            deliverLater();
        }
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record Posted(int status, String body, String contentType, String error) {

        boolean ok() {
            return status >= 200 && status <= 299;
        }
    }

    private Posted post(String url, JsonNode update, String secret) {
        HttpClient client;
        synchronized (this) {
            if (webhookClient == null) {
                webhookClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            }
            client = webhookClient;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(update)));
        if (secret != null && !secret.isEmpty()) {
            request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            return new Posted(status, response.body(), response.headers().firstValue("Content-Type").orElse(""),
                    status >= 200 && status <= 299 ? null : "Wrong response from the webhook: " + status + reason(status));
        } catch (HttpTimeoutException e) {
            return new Posted(-1, "", "", "Timeout expired");
        } catch (IOException e) {
            return new Posted(-1, "", "", e instanceof ConnectException ? "Connection refused" : "Webhook connection closed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Posted(-1, "", "", "Webhook connection closed");
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> " Bad Request";
            case 401 -> " Unauthorized";
            case 403 -> " Forbidden";
            case 404 -> " Not Found";
            case 405 -> " Method Not Allowed";
            case 429 -> " Too Many Requests";
            case 500 -> " Internal Server Error";
            case 502 -> " Bad Gateway";
            case 503 -> " Service Unavailable";
            default -> "";
        };
    }

    /** A webhook may answer with a method call ({@code {"method":"answerCallbackQuery",…}}): Telegram runs it. */
    private void callFromWebhookAnswer(Posted posted) {
        if (!posted.contentType().toLowerCase(Locale.ROOT).startsWith("application/json") || posted.body().isBlank()) {
            return;
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(posted.body());
        } catch (RuntimeException e) {
            return;
        }
        String method = answer.path("method").asString("");
        String lower = method.toLowerCase(Locale.ROOT);
        if (!answer.isObject() || method.isEmpty() || lower.startsWith("get") || NOT_FROM_WEBHOOK_ANSWERS.contains(lower)) {
            return;
        }
        ObjectNode params = ((ObjectNode) answer).deepCopy();
        params.remove("method");
        call(METHODS.stream().filter(method::equalsIgnoreCase).findFirst().orElse(method), params);
    }

    private static ObjectNode user(User user) {
        ObjectNode json = JSON.createObjectNode();
        json.put("id", user.id());
        json.put("is_bot", false);
        json.put("first_name", user.firstName());
        if (user.username() != null) {
            json.put("username", user.username());
        }
        return json;
    }

    // ---- the API

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw;
            try (InputStream in = exchange.getRequestBody()) {
                raw = in.readAllBytes();
            }
            Answer answer = answer(exchange.getRequestURI(), exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(raw, StandardCharsets.UTF_8));
            byte[] body = answer.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private record Answer(int status, String body) {
    }

    private synchronized Answer answer(URI uri, String contentType, String body) {
        String path = uri.getPath();
        if (!path.startsWith("/bot") || path.indexOf('/', 4) < 0) {
            return record(null, null, 404, "Not Found", null);
        }
        String givenToken = path.substring(4, path.indexOf('/', 4));
        String method = path.substring(path.indexOf('/', 4) + 1);
        ObjectNode params = params(contentType, body, uri.getRawQuery());
        if (params == null) {
            return record(method, null, 400, "Bad Request: can't parse request body", null);
        }
        if (!givenToken.equals(token)) {
            return record(method, null, 401, "Unauthorized", params);
        }
        return call(METHODS.stream().filter(method::equalsIgnoreCase).findFirst().orElse(method), params);
    }

    private synchronized Answer call(String method, ObjectNode params) {
        String chat = params.has("chat_id") ? params.get("chat_id").asString() : null;
        String[] script = next(method + "|" + chat);
        if (script != null) {
            int status = Integer.parseInt(script[0]);
            JsonNode scriptedBody = JSON.readTree(script[1]);
            requests.add(new Request(Instant.now(), method, chat, status, scriptedBody.path("description").asString(""), params));
            return new Answer(status, script[1]);
        }
        return switch (method) {
            case "getMe" -> ok(method, null, params, me());
            case "sendMessage" -> send(params, chat);
            case "editMessageText" -> edit(params, chat);
            case "editMessageReplyMarkup" -> editMarkup(params, chat);
            case "answerCallbackQuery" -> answerCallback(params);
            case "getUpdates" -> getUpdates(params);
            case "setWebhook" -> setWebhook(method, params, params.path("url").asString(""));
            case "deleteWebhook" -> setWebhook(method, params, "");
            case "getWebhookInfo" -> ok(method, null, params, webhookInfo());
            default -> record(method, chat, 404, "Not Found: method not found", params);
        };
    }

    private String[] next(String key) {
        int call = calls.merge(key, 1, Integer::sum);
        String[] nth = scriptedNth.getOrDefault(key, Map.of()).get(call);
        if (nth != null) {
            return nth;
        }
        Deque<String[]> queue = scripted.get(key);
        return queue == null ? null : queue.poll();
    }

    private Answer send(ObjectNode params, String chat) {
        Answer refused = chatProblem("sendMessage", chat, params);
        if (refused != null) {
            return refused;
        }
        Parsed parsed = parse(params);
        if (parsed.error != null) {
            return record("sendMessage", chat, 400, parsed.error, params);
        }
        Long replyTo = params.has("reply_parameters") ? params.get("reply_parameters").path("message_id").asLong() : null;
        if (replyTo != null && find(chat, replyTo) == null && !userMessages.contains(chat + "/" + replyTo)
                && !params.get("reply_parameters").path("allow_sending_without_reply").asBoolean(false)) {
            return record("sendMessage", chat, 400, "Bad Request: message to be replied not found", params);
        }
        Answer limited = rateLimit("sendMessage", chat, params);
        if (limited != null) {
            return limited;
        }
        long id = nextId.merge(chat, 1L, Long::sum);
        Message message = new Message(chat, id, params.get("text").asString(), parsed.text, replyTo,
                params.has("message_thread_id") ? params.get("message_thread_id").asLong() : null,
                params.path("disable_notification").asBoolean(false), parsed.keyboard,
                params.path("link_preview_options").path("is_disabled").asBoolean(false), List.of(), Instant.now());
        chats.computeIfAbsent(chat, k -> new ArrayList<>()).add(message);
        return ok("sendMessage", chat, params, result(message));
    }

    private Answer edit(ObjectNode params, String chat) {
        Answer refused = chatProblem("editMessageText", chat, params);
        if (refused != null) {
            return refused;
        }
        if (!params.has("message_id")) {
            return record("editMessageText", chat, 400, "Bad Request: message identifier is not specified", params);
        }
        long id = params.get("message_id").asLong();
        Message existing = find(chat, id);
        if (existing == null && !userMessages.contains(chat + "/" + id)) {
            return record("editMessageText", chat, 400, "Bad Request: message to edit not found", params);
        }
        if (existing == null || uneditable.contains(chat + "/" + id)) {
            return record("editMessageText", chat, 400, "Bad Request: message can't be edited", params);
        }
        Parsed parsed = parse(params);
        if (parsed.error != null) {
            return record("editMessageText", chat, 400, parsed.error, params);
        }
        if (existing.html().equals(params.get("text").asString()) && existing.keyboard().equals(parsed.keyboard)) {
            return record("editMessageText", chat, 400, NOT_MODIFIED, params);
        }
        Answer limited = rateLimit("editMessageText", chat, params);
        if (limited != null) {
            return limited;
        }
        List<String> edits = new ArrayList<>(existing.edits());
        edits.add(params.get("text").asString());
        Message edited = new Message(chat, id, params.get("text").asString(), parsed.text, existing.replyTo(),
                existing.threadId(), existing.silent(), parsed.keyboard,
                params.path("link_preview_options").path("is_disabled").asBoolean(false), List.copyOf(edits), existing.at());
        List<Message> list = chats.get(chat);
        list.set(list.indexOf(existing), edited);
        return ok("editMessageText", chat, params, result(edited));
    }

    /**
     * Replaces only the inline keyboard; without {@code reply_markup} (or with one without {@code inline_keyboard})
     * the buttons are removed, as Telegram does. Counts against the chat's rate limit like any edit.
     */
    private Answer editMarkup(ObjectNode params, String chat) {
        String method = "editMessageReplyMarkup";
        Answer refused = chatProblem(method, chat, params);
        if (refused != null) {
            return refused;
        }
        if (!params.has("message_id")) {
            return record(method, chat, 400, "Bad Request: message identifier is not specified", params);
        }
        long id = longParam(params, "message_id", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        Message existing = find(chat, id);
        if (existing == null && !userMessages.contains(chat + "/" + id)) {
            return record(method, chat, 400, "Bad Request: message to edit not found", params);
        }
        if (existing == null || uneditable.contains(chat + "/" + id)) {
            return record(method, chat, 400, "Bad Request: message can't be edited", params);
        }
        Keyboard keyboard = keyboard(params);
        if (keyboard.error != null) {
            return record(method, chat, 400, keyboard.error, params);
        }
        if (existing.keyboard().equals(keyboard.rows)) {
            return record(method, chat, 400, NOT_MODIFIED, params);
        }
        Answer limited = rateLimit(method, chat, params);
        if (limited != null) {
            return limited;
        }
        Message edited = new Message(chat, id, existing.html(), existing.text(), existing.replyTo(), existing.threadId(),
                existing.silent(), keyboard.rows, existing.linkPreviewDisabled(), existing.edits(), existing.at());
        List<Message> list = chats.get(chat);
        list.set(list.indexOf(existing), edited);
        return ok(method, chat, params, result(edited));
    }

    /**
     * A tap is answered once: unknown ids and ids already answered get Telegram's "query is too old" 400. The text
     * is 0–{@value #MAX_CALLBACK_ANSWER_LENGTH} characters (longer: MESSAGE_TOO_LONG, and the query stays open).
     */
    private Answer answerCallback(ObjectNode params) {
        String method = "answerCallbackQuery";
        String id = params.path("callback_query_id").asString("");
        if (!Boolean.FALSE.equals(callbackQueries.get(id))) {
            return record(method, null, 400, QUERY_INVALID, params);
        }
        String text = params.path("text").asString("");
        if (text.length() > MAX_CALLBACK_ANSWER_LENGTH) {
            return record(method, null, 400, "Bad Request: MESSAGE_TOO_LONG", params);
        }
        callbackQueries.put(id, true);
        callbackAnswers.put(id, new CallbackAnswer(id, text, flag(params, "show_alert"),
                params.path("url").asString(""), Instant.now()));
        return ok(method, null, params, BooleanNode.TRUE);
    }

    /**
     * {@code getUpdates} as the Bot API server does it: refused (409) while a webhook is set; {@code offset}
     * confirms (forgets) every update below it, a negative one keeps only the last -offset; {@code limit} and
     * {@code timeout} are clamped to 1–100 and 0–{@value #MAX_POLL_SECONDS}; {@code allowed_updates} is kept for
     * later updates (an empty list means Telegram's default). With nothing to return and a timeout, the request is
     * held until an update is queued or the timeout passes; a second poll that also waits ends the first with
     * 409 "terminated by other getUpdates request" (counted in {@link #getUpdatesConflicts()}). Not modelled: the
     * real server delays repeated 409s by 3 s, and turns quick repeats of one offset into a 3 s poll.
     */
    private Answer getUpdates(ObjectNode params) {
        String method = "getUpdates";
        if (!webhookUrl.isEmpty()) {
            return record(method, null, 409, WEBHOOK_ACTIVE, params);
        }
        long offset = longParam(params, "offset", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
        int max = (int) longParam(params, "limit", 100, 1, 100);
        int timeout = (int) longParam(params, "timeout", 0, 0, MAX_POLL_SECONDS);
        allowUpdates(params.get("allowed_updates"));
        List<ObjectNode> batch = take(offset, max);
        if (batch.isEmpty() && timeout > 0) {
            long mine = endPoll("getUpdates");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
            polling++;
            try {
                while (batch.isEmpty() && !closed) {  // ends by the deadline at the latest
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    if (pollTicket != mine) {
                        if (pollEndedBy.equals("getUpdates")) {
                            getUpdatesConflicts++;
                            return record(method, null, 409, TERMINATED_BY_OTHER_POLL, params);
                        }
                        return record(method, null, 409, "Conflict: terminated by setWebhook request", params);
                    }
                    batch = take(offset, max);
                }
            } finally {
                polling--;
            }
        }
        ArrayNode result = JSON.createArrayNode();
        batch.forEach(u -> result.add(u.deepCopy()));
        return ok(method, null, params, result);
    }

    /**
     * {@code setWebhook} (and, with an empty url, {@code deleteWebhook}) as the real server does it: a non-empty url at
     * most once a second (else 429 retry after 1); the same settings again are "Webhook is already set"; setting one
     * ends a held long poll with 409 "terminated by setWebhook request"; {@code drop_pending_updates} forgets the
     * queue; a changed webhook replaces the old one first, so an invalid new one leaves none. {@code secret_token} is
     * 0–256 of {@code A-Z a-z 0-9 _ -}. Like a Bot API server started with {@code --local}, http and any port are
     * accepted; unlike it, only loopback hosts are (the fake never connects beyond 127.0.0.1).
     */
    private Answer setWebhook(String method, ObjectNode params, String url) {
        Instant now = Instant.now();
        if (!url.isEmpty()) {
            if (now.isBefore(nextSetWebhook)) {
                String description = "Too Many Requests: retry after 1";
                requests.add(new Request(now, method, null, 429, description, params));
                return new Answer(429, "{\"ok\":false,\"error_code\":429,\"description\":\"" + description
                        + "\",\"parameters\":{\"retry_after\":1}}");
            }
            nextSetWebhook = now.plusSeconds(1);
        }
        boolean drop = flag(params, "drop_pending_updates");
        String secret = url.isEmpty() ? "" : params.path("secret_token").asString("");
        int maxConnections = url.isEmpty() ? 0 : (int) longParam(params, "max_connections", 40, 1, 100);
        if (url.equals(webhookUrl) && secret.equals(webhookSecret) && maxConnections == webhookMaxConnections && !drop) {
            allowUpdates(params.get("allowed_updates"));
            return okSaying(method, params, url.isEmpty() ? "Webhook is already deleted" : "Webhook is already set");
        }
        if (!url.isEmpty() && polling > 0) {
            endPoll("setWebhook");
        }
        boolean had = !webhookUrl.isEmpty();
        webhookUrl = "";
        webhookSecret = "";
        webhookMaxConnections = 0;
        lastWebhookErrorDate = 0;
        lastWebhookError = null;
        if (drop) {
            pending.clear();
        }
        if (url.isEmpty()) {
            return okSaying(method, params, had ? "Webhook was deleted" : "Webhook is already deleted");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            return record(method, null, 400, "Bad Request: invalid webhook URL specified", params);
        }
        if (secret.length() > 256) {
            return record(method, null, 400, "Bad Request: secret token is too long", params);
        }
        if (!secret.matches("[A-Za-z0-9_-]*")) {
            return record(method, null, 400, "Bad Request: secret token contains unallowed characters", params);
        }
        if (!Set.of("127.0.0.1", "localhost", "[::1]").contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            return record(method, null, 400, "Bad Request: bad webhook: Failed to resolve host: this fake only "
                    + "delivers to 127.0.0.1", params);
        }
        webhookUrl = url;
        webhookSecret = secret;
        webhookMaxConnections = maxConnections;
        allowUpdates(params.get("allowed_updates"));
        deliverLater();
        return okSaying(method, params, "Webhook was set");
    }

    private JsonNode webhookInfo() {
        ObjectNode info = JSON.createObjectNode();
        info.put("url", webhookUrl);
        info.put("has_custom_certificate", false);
        info.put("pending_update_count", pending.size());
        if (lastWebhookError != null) {
            info.put("last_error_date", lastWebhookErrorDate);
            info.put("last_error_message", lastWebhookError);
        }
        if (webhookMaxConnections > 0) {
            info.put("max_connections", webhookMaxConnections);
        }
        if (!webhookUrl.isEmpty()) {
            info.put("ip_address", "127.0.0.1");
        }
        if (allowedUpdates != null) {
            ArrayNode types = info.putArray("allowed_updates");
            allowedUpdates.stream().sorted().forEach(types::add);
        }
        return info;
    }

    /** Ends the long poll being held (if any) because of {@code cause}; returns the new poll's ticket. */
    private long endPoll(String cause) {
        pollEndedBy = cause;
        notifyAll();
        return ++pollTicket;
    }

    private List<ObjectNode> take(long offset, int max) {
        if (offset < 0) {
            while (pending.size() > -offset) {
                pending.pollFirst();
            }
        } else {
            while (!pending.isEmpty() && pending.peekFirst().get("update_id").asLong() < offset) {
                pending.pollFirst();
            }
        }
        return pending.stream().limit(max).toList();
    }

    /** {@code allowed_updates}: missing or unreadable keeps the last choice; an empty list is Telegram's default. */
    private void allowUpdates(JsonNode node) {
        if (node != null && node.isString() && !node.asString().isEmpty()) {
            try {
                node = JSON.readTree(node.asString());
            } catch (RuntimeException e) {
                return;
            }
        }
        if (node == null || !node.isArray()) {
            return;
        }
        Set<String> types = new HashSet<>();
        for (JsonNode type : node) {
            if (!type.isString()) {
                return;
            }
            String name = type.asString().toLowerCase(Locale.ROOT);
            if (UPDATE_TYPES.contains(name)) {
                types.add(name);
            }
        }
        allowedUpdates = types.isEmpty() ? null : Set.copyOf(types);
    }

    private Answer chatProblem(String method, String chat, ObjectNode params) {
        if (chat == null || chat.isEmpty()) {
            return record(method, chat, 400, "Bad Request: chat_id is empty", params);
        }
        if (!chat.matches("-?\\d+|@[A-Za-z][A-Za-z0-9_]{3,}")) {
            return record(method, chat, 400, "Bad Request: chat not found", params);
        }
        if (notFound.contains(chat)) {
            return record(method, chat, 400, "Bad Request: chat not found", params);
        }
        if (blocked.contains(chat)) {
            return record(method, chat, 403, "Forbidden: bot was blocked by the user", params);
        }
        if (kicked.contains(chat)) {
            return record(method, chat, 403, "Forbidden: bot was kicked from the group chat", params);
        }
        if (migrated.containsKey(chat)) {
            String description = "Bad Request: group chat was upgraded to a supergroup chat";
            requests.add(new Request(Instant.now(), method, chat, 400, description, params));
            return new Answer(400, "{\"ok\":false,\"error_code\":400,\"description\":\"" + description
                    + "\",\"parameters\":{\"migrate_to_chat_id\":" + migrated.get(chat) + "}}");
        }
        return null;
    }

    private record Parsed(String text, List<List<Map<String, String>>> keyboard, String error) {
    }

    private static Parsed parse(ObjectNode params) {
        if (!params.has("text") || params.get("text").asString().isEmpty()) {
            return new Parsed(null, null, "Bad Request: message text is empty");
        }
        String text = params.get("text").asString();
        String mode = params.path("parse_mode").asString("");
        if (mode.equalsIgnoreCase("HTML")) {
            TelegramHtmlValidator.Result result = TelegramHtmlValidator.validate(text);
            if (!result.valid()) {
                return new Parsed(null, null, "Bad Request: can't parse entities: " + result.error());
            }
            text = result.text();
        } else if (!mode.isEmpty()) {
            return new Parsed(null, null, "Bad Request: unsupported parse_mode in this fake: " + mode);
        }
        if (text.isBlank()) {
            return new Parsed(null, null, "Bad Request: message text is empty");
        }
        if (text.length() > TelegramMessage.MAX_LENGTH) {
            return new Parsed(null, null, "Bad Request: message is too long");
        }
        Keyboard keyboard = keyboard(params);
        return keyboard.error != null ? new Parsed(null, null, keyboard.error) : new Parsed(text, keyboard.rows, null);
    }

    private record Keyboard(List<List<Map<String, String>>> rows, String error) {

        static Keyboard refused(String error) {
            return new Keyboard(null, error);
        }
    }

    /**
     * {@code reply_markup.inline_keyboard} as the Bot API reads it: an Array of Arrays of buttons, each with a
     * {@code text} and one action. Like the real server, a non-empty {@code url} wins over {@code callback_data}
     * (the data is then silently dropped), and a button with neither is refused. {@code callback_data} is
     * 1–64 bytes of UTF-8 (Telegram counts bytes, so 22 Hangul syllables are already too many). Empty rows are
     * dropped. Other button kinds (web_app, login_url, …) are refused: the relay does not send them.
     */
    private static Keyboard keyboard(ObjectNode params) {
        JsonNode markup = params.path("reply_markup");
        if (markup.isMissingNode() || markup.isNull() || markup.isString() && markup.asString().isEmpty()) {
            return new Keyboard(List.of(), null);
        }
        if (markup.isString()) {
            try {
                markup = JSON.readTree(markup.asString());
            } catch (RuntimeException e) {
                return Keyboard.refused("Bad Request: can't parse reply keyboard markup JSON object");
            }
        }
        if (!markup.isObject()) {
            return Keyboard.refused("Bad Request: object expected as reply markup");
        }
        JsonNode inline = markup.path("inline_keyboard");
        if (inline.isMissingNode()) {
            return new Keyboard(List.of(), null);
        }
        if (!inline.isArray()) {
            return Keyboard.refused("Bad Request: field \"inline_keyboard\" must be of type Array");
        }
        List<List<Map<String, String>>> rows = new ArrayList<>();
        for (JsonNode row : inline) {
            if (!row.isArray()) {
                return Keyboard.refused("Bad Request: field \"inline_keyboard\" of the InlineKeyboardMarkup must be an "
                        + "Array of Arrays");
            }
            List<Map<String, String>> buttons = new ArrayList<>();
            for (JsonNode button : row) {
                if (!button.isObject()) {
                    return Keyboard.refused("Bad Request: can't parse inline keyboard button: InlineKeyboardButton must "
                            + "be an Object");
                }
                String label = button.path("text").asString("");
                String url = button.path("url").asString("");
                String data = button.path("callback_data").asString("");
                if (!url.isEmpty()) {
                    if (label.isEmpty()) {
                        return Keyboard.refused("Bad Request: BUTTON_TEXT_INVALID");
                    }
                    if (!validButtonUrl(url)) {
                        return Keyboard.refused("Bad Request: BUTTON_URL_INVALID");
                    }
                    buttons.add(Map.of("text", label, "url", url));
                } else if (!data.isEmpty()) {
                    if (label.isEmpty()) {
                        return Keyboard.refused("Bad Request: BUTTON_TEXT_INVALID");
                    }
                    if (data.getBytes(StandardCharsets.UTF_8).length > MAX_CALLBACK_DATA_BYTES) {
                        return Keyboard.refused("Bad Request: BUTTON_DATA_INVALID");
                    }
                    buttons.add(Map.of("text", label, "callback_data", data));
                } else if (OTHER_BUTTONS.stream().anyMatch(button::has)) {
                    return Keyboard.refused("Bad Request: this fake supports only url and callback_data buttons");
                } else {
                    return Keyboard.refused("Bad Request: can't parse inline keyboard button: Text buttons are "
                            + "unallowed in the inline keyboard");
                }
            }
            if (!buttons.isEmpty()) {
                rows.add(List.copyOf(buttons));
            }
        }
        return new Keyboard(List.copyOf(rows), null);
    }

    /** Telegram refuses button URLs that are not http(s) or tg://, and host names without a dot (internal names). */
    static boolean validButtonUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                    && uri.getHost() != null && uri.getHost().contains(".");
        } catch (Exception e) {
            return false;
        }
    }

    private Answer rateLimit(String method, String chat, ObjectNode params) {
        Instant now = Instant.now();
        Deque<Instant> sent = window.computeIfAbsent(chat, k -> new ArrayDeque<>());
        while (!sent.isEmpty() && !sent.peekFirst().isAfter(now.minus(limitWindow))) {
            sent.pollFirst();
        }
        if (sent.size() >= limit) {
            Instant free = sent.toArray(new Instant[0])[sent.size() - limit].plus(limitWindow);
            long retryAfter = Math.max(1, (Duration.between(now, free).toMillis() + 999) / 1000);
            String description = "Too Many Requests: retry after " + retryAfter;
            requests.add(new Request(now, method, chat, 429, description, params));
            return new Answer(429, "{\"ok\":false,\"error_code\":429,\"description\":\"" + description
                    + "\",\"parameters\":{\"retry_after\":" + retryAfter + "}}");
        }
        sent.addLast(now);
        return null;
    }

    private Message find(String chat, long id) {
        return chats.getOrDefault(chat, List.of()).stream().filter(m -> m.messageId() == id).findFirst().orElse(null);
    }

    private JsonNode me() {
        ObjectNode me = JSON.createObjectNode();
        me.put("id", botId());
        me.put("is_bot", true);
        me.put("first_name", BOT_NAME);
        me.put("username", BOT_USERNAME);
        return me;
    }

    private long botId() {
        return Long.parseLong(token.substring(0, token.indexOf(':')));
    }

    /** The message as the Bot API shows it: in send and edit results, and in a callback query's {@code message}. */
    private JsonNode result(Message message) {
        ObjectNode result = JSON.createObjectNode();
        result.put("message_id", message.messageId());
        ObjectNode from = result.putObject("from");
        from.put("id", botId());
        from.put("is_bot", true);
        from.put("first_name", BOT_NAME);
        from.put("username", BOT_USERNAME);
        result.set("chat", chat(message.chatId(), null));
        result.put("date", message.at().getEpochSecond());
        result.put("text", message.text());
        if (!message.keyboard().isEmpty()) {
            ArrayNode rows = result.putObject("reply_markup").putArray("inline_keyboard");
            for (List<Map<String, String>> row : message.keyboard()) {
                ArrayNode buttons = rows.addArray();
                for (Map<String, String> button : row) {
                    ObjectNode b = buttons.addObject();
                    b.put("text", button.get("text"));
                    button.forEach((key, value) -> b.put(key, value));
                }
            }
        }
        return result;
    }

    /** A chat object: {@code -100…} is a supergroup, another negative id a group, a positive one a private chat. */
    private static ObjectNode chat(String chatId, User user) {
        ObjectNode chat = JSON.createObjectNode();
        if (chatId.startsWith("@")) {
            chat.put("title", chatId.substring(1));
            chat.put("username", chatId.substring(1));
            chat.put("type", "channel");
        } else {
            chat.put("id", Long.parseLong(chatId));
            if (chatId.startsWith("-")) {
                chat.put("title", "Alert Relay test group " + chatId);
                chat.put("type", chatId.startsWith("-100") ? "supergroup" : "group");
            } else {
                chat.put("type", "private");
                if (user != null) {
                    chat.put("first_name", user.firstName());
                    if (user.username() != null) {
                        chat.put("username", user.username());
                    }
                }
            }
        }
        return chat;
    }

    private Answer ok(String method, String chat, ObjectNode params, JsonNode result) {
        requests.add(new Request(Instant.now(), method, chat, 200, "", params));
        ObjectNode body = JSON.createObjectNode();
        body.put("ok", true);
        body.set("result", result);
        return new Answer(200, JSON.writeValueAsString(body));
    }

    /** {@code {"ok":true,"result":true,"description":…}}, as setWebhook and deleteWebhook answer. */
    private Answer okSaying(String method, ObjectNode params, String description) {
        requests.add(new Request(Instant.now(), method, null, 200, description, params));
        ObjectNode body = JSON.createObjectNode();
        body.put("ok", true);
        body.put("result", true);
        body.put("description", description);
        return new Answer(200, JSON.writeValueAsString(body));
    }

    private Answer record(String method, String chat, int status, String description, ObjectNode params) {
        requests.add(new Request(Instant.now(), method, chat, status, description, params));
        ObjectNode body = JSON.createObjectNode();
        body.put("ok", false);
        body.put("error_code", status);
        body.put("description", description);
        return new Answer(status, JSON.writeValueAsString(body));
    }

    /** An integer parameter, clamped to {@code min..max} as the Bot API does; missing or unreadable: {@code dflt}. */
    private static long longParam(ObjectNode params, String name, long dflt, long min, long max) {
        JsonNode node = params.get(name);
        if (node == null || node.isNull() || node.asString("").isEmpty()) {
            return dflt;
        }
        long value;
        try {
            value = node.isNumber() ? node.longValue() : Long.parseLong(node.asString().trim());
        } catch (NumberFormatException e) {
            value = 0;
        }
        return Math.max(min, Math.min(max, value));
    }

    /** A boolean parameter: JSON true, or "true"/"1" in a form. */
    private static boolean flag(ObjectNode params, String name) {
        JsonNode node = params.path(name);
        return node.isBoolean() ? node.booleanValue() : node.asString("").equalsIgnoreCase("true") || node.asString("").equals("1");
    }

    /** JSON, form-encoded or query parameters, as the Bot API accepts them. */
    private static ObjectNode params(String contentType, String body, String query) {
        ObjectNode params = JSON.createObjectNode();
        try {
            if (contentType != null && contentType.startsWith("application/json") && !body.isBlank()) {
                JsonNode json = JSON.readTree(body);
                if (!json.isObject()) {
                    return null;
                }
                params.setAll((ObjectNode) json);
            } else {
                form(params, body);
            }
            form(params, query);
        } catch (RuntimeException e) {
            return null;
        }
        return params;
    }

    private static void form(ObjectNode params, String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (value.startsWith("{") || value.startsWith("[")) {
                params.set(key, JSON.readTree(value));
            } else {
                params.put(key, value);
            }
        }
    }
}
