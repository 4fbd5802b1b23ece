package com.alertrelay.notify.kakao;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.test.context.DynamicPropertyRegistry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local, stateful stand-in for Kakao's {@code kapi} and {@code kauth} on 127.0.0.1, validating like the
 * real ones: Bearer tokens that exist and have not expired (else {@code -401}), {@code template_object}
 * checks ({@code -2}: text at most 200 characters, list with 2–3 contents, link required), access tokens
 * that expire, refresh tokens that rotate when little lifetime is left and then die ({@code KOE322}),
 * scripted error codes ({@code -10}, {@code -531}, {@code -1}, {@code -402} …), and an authorize page
 * that consents at once and redirects back with a code. Public (as are the few members it needs) for the
 * benchmarks' {@code bench/java/com/alertrelay/bench/BenchKakao.java}, which runs it as a process.
 */
public final class FakeKakao implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** A message Kakao accepted: which API, for which receivers, and the template. */
    public record Sent(String path, String accessToken, List<String> receivers, JsonNode template, Instant at) {

        public String text() {
            return template.path("text").asString(template.path("header_title").asString(""));
        }
    }

    private record RefreshToken(Instant expiresAt, boolean alive) {
    }

    private final String restApiKey;
    private final String clientSecret;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, Instant> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, RefreshToken> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, String> codes = new ConcurrentHashMap<>();
    private final Deque<Integer> scriptedErrors = new ArrayDeque<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger refreshCalls = new AtomicInteger();
    private final AtomicInteger rejectedTemplates = new AtomicInteger();
    private volatile Duration accessTokenLifetime = Duration.ofHours(6);
    private volatile Duration refreshTokenLifetime = Duration.ofDays(60);
    private volatile Duration rotateWhenLeft = Duration.ofDays(30);
    private volatile Duration tokenDelay = Duration.ZERO;
    private final java.util.concurrent.ConcurrentLinkedQueue<Duration> sendDelays = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile String lastRedirectUri;

    public FakeKakao(String restApiKey, String clientSecret) {
        this.restApiKey = restApiKey;
        this.clientSecret = clientSecret;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Declares {@code relay.channels.<channel>} as a Kakao channel whose kapi and kauth are this fake. */
    void registerChannel(DynamicPropertyRegistry registry, String channel,
            String restApiKey, String clientSecret) {
        String prefix = "relay.channels." + channel + ".";
        registry.add(prefix + "type", () -> "kakao");
        registry.add(prefix + "client-secret", () -> clientSecret);
        endpoints(registry, prefix, restApiKey);
    }

    private void endpoints(DynamicPropertyRegistry registry, String prefix, String restApiKey) {
        registry.add(prefix + "rest-api-key", () -> restApiKey);
        registry.add(prefix + "api-url", this::url);
        registry.add(prefix + "auth-url", this::url);
    }

    // ---- scripting -------------------------------------------------------------------------------------

    /** A refresh token Kakao would have issued, valid for {@code lifetime}. */
    public String issueRefreshToken(Duration lifetime) {
        String token = "RT-" + UUID.randomUUID();
        refreshTokens.put(token, new RefreshToken(Instant.now().plus(lifetime), true));
        return token;
    }

    String issueAccessToken() {
        String token = "AT-" + UUID.randomUUID();
        accessTokens.put(token, Instant.now().plus(accessTokenLifetime));
        return token;
    }

    FakeKakao accessTokenLifetime(Duration lifetime) {
        accessTokenLifetime = lifetime;
        return this;
    }

    FakeKakao refreshTokenLifetime(Duration lifetime) {
        refreshTokenLifetime = lifetime;
        return this;
    }

    /** A refresh grant with less than this left returns a new refresh token and kills the old one. */
    FakeKakao rotateWhenLeft(Duration left) {
        rotateWhenLeft = left;
        return this;
    }

    /** Each token request takes this long, to widen race windows. */
    /** Points channel {@code channel} at this fake, with its REST API key and a refresh token. */
    public void register(DynamicPropertyRegistry registry, String channel, String restApiKey, String refreshToken) {
        String prefix = "relay.channels." + channel + ".";
        registry.add(prefix + "refresh-token", () -> refreshToken);
        endpoints(registry, prefix, restApiKey);
    }

    /** Message sends take this long to answer, one delay per send, the last for every send after. */
    FakeKakao sendDelays(Duration... delays) {
        sendDelays.clear();
        sendDelays.addAll(List.of(delays));
        return this;
    }

    FakeKakao tokenDelay(Duration delay) {
        tokenDelay = delay;
        return this;
    }

    /** Every access token issued so far expires now (as after six hours). */
    void expireAccessTokens() {
        accessTokens.replaceAll((token, expiry) -> Instant.now().minusSeconds(1));
    }

    /** Every refresh token dies (expired after two months, or the user unlinked the app). */
    void killRefreshTokens() {
        refreshTokens.replaceAll((token, rt) -> new RefreshToken(rt.expiresAt(), false));
    }

    /** One refresh token dies (the user unlinked the app, or it expired). */
    void kill(String refreshToken) {
        refreshTokens.computeIfPresent(refreshToken, (token, rt) -> new RefreshToken(rt.expiresAt(), false));
    }

    /** Every access and refresh token this fake ever issued. */
    List<String> issuedTokens() {
        List<String> all = new ArrayList<>(accessTokens.keySet());
        all.addAll(refreshTokens.keySet());
        return all;
    }

    /** The next message sends answer these kapi error codes, in order. */
    synchronized void failNextSends(int... codes) {
        for (int code : codes) {
            scriptedErrors.add(code);
        }
    }

    synchronized void clearScript() {
        scriptedErrors.clear();
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    public int refreshCalls() {
        return refreshCalls.get();
    }

    public int rejectedTemplates() {
        return rejectedTemplates.get();
    }

    /** Every request line and form body received, for leak checks by the test. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    boolean refreshTokenAlive(String token) {
        RefreshToken rt = refreshTokens.get(token);
        return rt != null && rt.alive() && rt.expiresAt().isAfter(Instant.now());
    }

    String lastRedirectUri() {
        return lastRedirectUri;
    }

    void reset() {
        sent.clear();
        requests.clear();
        refreshCalls.set(0);
        rejectedTemplates.set(0);
        clearScript();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- HTTP ------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Map<String, String> form = "POST".equals(method) ? form(exchange.getRequestBody()) : query(exchange.getRequestURI());
            requests.add(method + " " + path + " " + form);
            if ("GET".equals(method) && "/oauth/authorize".equals(path)) {
                authorize(exchange, form);
            } else if ("POST".equals(method) && "/oauth/token".equals(path)) {
                token(exchange, form);
            } else if ("POST".equals(method) && KakaoApi.MEMO_PATH.equals(path)) {
                send(exchange, path, form, false);
            } else if ("POST".equals(method) && KakaoApi.FRIENDS_PATH.equals(path)) {
                send(exchange, path, form, true);
            } else {
                answer(exchange, 404, Map.of("code", -3, "msg", "unknown path " + path));
            }
        } catch (RuntimeException e) {
            answer(exchange, 500, Map.of("code", -1, "msg", "fake failed: " + e));
        }
    }

    /** The consent page: the user agrees at once and is sent back with a code. */
    private void authorize(HttpExchange exchange, Map<String, String> query) throws IOException {
        String redirect = query.get("redirect_uri");
        if (!restApiKey.equals(query.get("client_id")) || redirect == null || !"code".equals(query.get("response_type"))) {
            answer(exchange, 400, Map.of("error", "invalid_request", "error_code", "KOE101"));
            return;
        }
        lastRedirectUri = redirect;
        String code = "CODE-" + UUID.randomUUID();
        codes.put(code, redirect);
        String location = redirect + "?code=" + enc(code) + (query.containsKey("state") ? "&state=" + enc(query.get("state")) : "");
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    private void token(HttpExchange exchange, Map<String, String> form) throws IOException {
        if (!tokenDelay.isZero()) {
            sleep(tokenDelay);
        }
        if (!restApiKey.equals(form.get("client_id"))) {
            answer(exchange, 401, Map.of("error", "invalid_client", "error_description", "Not exist client_id",
                    "error_code", "KOE101"));
            return;
        }
        if (clientSecret != null && !clientSecret.equals(form.get("client_secret"))) {
            answer(exchange, 401, Map.of("error", "invalid_client", "error_description", "Bad client credentials",
                    "error_code", "KOE010"));
            return;
        }
        String grant = form.get("grant_type");
        if ("authorization_code".equals(grant)) {
            String redirect = codes.remove(String.valueOf(form.get("code")));
            if (redirect == null || !redirect.equals(form.get("redirect_uri"))) {
                answer(exchange, 400, Map.of("error", "invalid_grant", "error_description",
                        "authorization code not found for code=" + form.get("code"), "error_code", "KOE320"));
                return;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("token_type", "bearer");
            body.put("access_token", issueAccessToken());
            body.put("expires_in", accessTokenLifetime.toSeconds());
            body.put("refresh_token", issueRefreshToken(refreshTokenLifetime));
            body.put("refresh_token_expires_in", refreshTokenLifetime.toSeconds());
            body.put("scope", "talk_message");
            answer(exchange, 200, body);
            return;
        }
        if (!"refresh_token".equals(grant)) {
            answer(exchange, 400, Map.of("error", "unsupported_grant_type", "error_code", "KOE006"));
            return;
        }
        refreshCalls.incrementAndGet();
        String presented = form.get("refresh_token");
        RefreshToken rt = presented == null ? null : refreshTokens.get(presented);
        if (rt == null || !rt.alive() || rt.expiresAt().isBefore(Instant.now())) {
            answer(exchange, 400, Map.of("error", "invalid_grant", "error_description", "Invalid refresh token",
                    "error_code", "KOE322"));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "bearer");
        body.put("access_token", issueAccessToken());
        body.put("expires_in", accessTokenLifetime.toSeconds());
        if (Duration.between(Instant.now(), rt.expiresAt()).compareTo(rotateWhenLeft) < 0) {
            refreshTokens.put(presented, new RefreshToken(rt.expiresAt(), false));
            body.put("refresh_token", issueRefreshToken(refreshTokenLifetime));
            body.put("refresh_token_expires_in", refreshTokenLifetime.toSeconds());
        }
        answer(exchange, 200, body);
    }

    private void send(HttpExchange exchange, String path, Map<String, String> form, boolean friends) throws IOException {
        Duration delay = sendDelays.size() > 1 ? sendDelays.poll() : sendDelays.peek();
        if (delay != null && !delay.isZero()) {
            sleep(delay);
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        Instant expiry = token == null ? null : accessTokens.get(token);
        if (expiry == null || expiry.isBefore(Instant.now())) {
            answer(exchange, 401, Map.of("code", -401, "msg", "this access token does not exist"));
            return;
        }
        Integer scripted;
        synchronized (this) {
            scripted = scriptedErrors.poll();
        }
        if (scripted != null) {
            int status = switch (scripted) {
                case -401 -> 401;
                case -402, -10, -531 -> 403;
                case -1, -9798 -> 500;
                default -> 400;
            };
            answer(exchange, status, Map.of("code", scripted, "msg", "scripted error " + scripted));
            return;
        }
        List<String> receivers = List.of();
        if (friends) {
            try {
                JsonNode uuids = JSON.readTree(String.valueOf(form.get("receiver_uuids")));
                List<String> list = new ArrayList<>();
                uuids.forEach(n -> list.add(n.asString()));
                receivers = list;
            } catch (RuntimeException e) {
                receivers = List.of();
            }
            if (receivers.isEmpty() || receivers.size() > 5) {
                answer(exchange, 400, Map.of("code", -2, "msg", "receiver_uuids must list 1 to 5 uuids"));
                return;
            }
        }
        String problem;
        JsonNode template = null;
        try {
            template = JSON.readTree(String.valueOf(form.get("template_object")));
            problem = validate(template);
        } catch (RuntimeException e) {
            problem = "template_object is not JSON";
        }
        if (problem != null) {
            rejectedTemplates.incrementAndGet();
            answer(exchange, 400, Map.of("code", -2, "msg", "invalid template_object: " + problem));
            return;
        }
        sent.add(new Sent(path, token, receivers, template, Instant.now()));
        answer(exchange, 200, friends ? Map.of("successful_receiver_uuids", receivers) : Map.of("result_code", 0));
    }

    /** Kakao's default template rules this relay relies on; null when valid. */
    static String validate(JsonNode t) {
        String type = t.path("object_type").asString("");
        switch (type) {
            case "text" -> {
                if (!t.hasNonNull("text")) {
                    return "text is required";
                }
                String text = t.get("text").asString();
                if (text.codePointCount(0, text.length()) > 200) {
                    return "text longer than 200 characters";
                }
                if (!validLink(t.get("link"))) {
                    return "link is required";
                }
                if (t.has("button_title") && t.get("button_title").asString().isBlank()) {
                    return "button_title is blank";
                }
            }
            case "list" -> {
                String header = t.path("header_title").asString("");
                if (header.isBlank() || header.codePointCount(0, header.length()) > 200) {
                    return "header_title is required and at most 200 characters";
                }
                if (!validLink(t.get("header_link"))) {
                    return "header_link is required";
                }
                JsonNode contents = t.get("contents");
                if (contents == null || !contents.isArray() || contents.size() < 2 || contents.size() > 3) {
                    return "contents must have 2 to 3 items";
                }
                for (JsonNode c : contents) {
                    if (c.path("title").asString("").isBlank() || !validLink(c.get("link"))) {
                        return "every content needs a title and a link";
                    }
                }
                JsonNode buttons = t.get("buttons");
                if (buttons != null && (!buttons.isArray() || buttons.size() > 2)) {
                    return "at most 2 buttons";
                }
                if (buttons != null) {
                    for (JsonNode b : buttons) {
                        if (b.path("title").asString("").isBlank() || !validLink(b.get("link"))) {
                            return "every button needs a title and a link";
                        }
                    }
                }
            }
            case "feed" -> {
                if (t.get("content") == null || !validLink(t.get("content").get("link"))) {
                    return "content with a link is required";
                }
            }
            default -> {
                return "unknown object_type '" + type + "'";
            }
        }
        return null;
    }

    private static boolean validLink(JsonNode link) {
        return link != null && link.isObject()
                && (!link.path("web_url").asString("").isBlank() || !link.path("mobile_web_url").asString("").isBlank());
    }

    private static void answer(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> form(InputStream body) throws IOException {
        return parse(new String(body.readAllBytes(), StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(URI uri) {
        return parse(uri.getRawQuery() == null ? "" : uri.getRawQuery());
    }

    private static Map<String, String> parse(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.put(key, value);
        }
        return values;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
