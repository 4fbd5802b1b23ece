package com.alertrelay.console;

import static com.alertrelay.testsupport.ConsoleSession.location;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.alertrelay.notify.kakao.FakeKakao;
import com.alertrelay.notify.telegram.FakeTelegramApi;
import com.alertrelay.testsupport.ConsoleSession;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;

/**
 * The overview's channel table with what each notifier tells about itself, against the fake Kakao and the fake
 * Telegram: KakaoTalk's quota left today and its authorization — with Connect / Reconnect, which sends the browser
 * to Kakao's consent page and connects the channel — and Telegram's block after a 429.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.admin.token=" + ConsoleChannelsTest.TOKEN,
        "relay.channels.log.enabled=false",
        "relay.delivery.initial-backoff=100ms",
        "relay.delivery.max-backoff=300ms",
        "relay.delivery.backoff-jitter=0ms",
        "relay.delivery.poll-interval=100ms"})
class ConsoleChannelsTest {

    static final String TOKEN = "channels-admin-token-0123456789";
    static final String KEY = "console-rest-api-key-" + UUID.randomUUID();
    static final FakeKakao KAKAO = new FakeKakao(KEY, null);
    static final String BOT = "123456:CHANNELS-secret-token-AAAABBBBCCCC";
    static final FakeTelegramApi TELEGRAM = FakeTelegramApi.start(BOT);
    static final String TG_CHAT = "-100401";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void channels(DynamicPropertyRegistry registry) {
        // talk: connected; revoked: a refresh token Kakao does not know (answered KOE322); fresh: never connected
        KAKAO.register(registry, "talk", KEY, KAKAO.issueRefreshToken(Duration.ofDays(60)));
        KAKAO.register(registry, "revoked", KEY, "RT-revoked-" + UUID.randomUUID());
        registry.add("relay.channels.fresh.rest-api-key", () -> KEY);
        registry.add("relay.channels.fresh.api-url", KAKAO::url);
        registry.add("relay.channels.fresh.auth-url", KAKAO::url);
        for (String kakao : new String[] {"talk", "revoked", "fresh"}) {
            registry.add("relay.channels." + kakao + ".type", () -> "kakao");
            registry.add("relay.routes." + kakao + ".channels", () -> kakao);
        }
        registry.add("relay.channels.tg.type", () -> "telegram");
        registry.add("relay.channels.tg.bot-token", () -> BOT);
        registry.add("relay.channels.tg.chat-id", () -> TG_CHAT);
        registry.add("relay.channels.tg.api-url", TELEGRAM::url);
        registry.add("relay.routes.tg.channels", () -> "tg");
    }

    @AfterAll
    static void stopFakes() {
        KAKAO.close();
        TELEGRAM.close();
    }

    @LocalServerPort
    int port;

    private ConsoleSession console;
    private RelayClient relay;

    @BeforeEach
    void signIn() {
        console = new ConsoleSession(port);
        relay = new RelayClient(port);
        assertThat(location(console.signIn(TOKEN))).endsWith("/console");
    }

    /** The channel's row in the overview's table, as its refresh fetches it. */
    private Element row(String channel) {
        HttpResponse<String> table = console.get("/console/overview/channels");
        assertThat(table.statusCode()).isEqualTo(200);
        Element row = Jsoup.parse(table.body()).selectFirst("tr[data-channel=" + channel + "]");
        assertThat(row).as("row of %s in %s", channel, table.body()).isNotNull();
        return row;
    }

    private long post(String route, String severity) {
        String alertname = "Console" + UUID.randomUUID().toString().substring(0, 8);
        return relay.postOk("/webhook/" + route, Payloads.group("firing", alertname, "{}:{alertname=\"" + alertname
                + "\"}", severity, 1)).path("notificationId").asLong();
    }

    @Test
    void aKakaoChannelShowsTheQuotaLeftTodayAfterASend() {
        assertThat(row("talk").selectFirst(".quota").text()).isEqualTo("100 of 100 messages left today (KST)");
        int sent = KAKAO.sent().size();
        post("talk", "critical");
        await().atMost(WAIT).until(() -> KAKAO.sent().size() > sent);

        await().atMost(WAIT).untilAsserted(() -> {
            Element talk = row("talk");
            assertThat(talk.selectFirst(".quota").attr("data-remaining")).isEqualTo("99");
            assertThat(talk.selectFirst(".quota").text()).isEqualTo("99 of 100 messages left today (KST)");
        });
        Element talk = row("talk");
        assertThat(talk.selectFirst(".auth").text()).isEqualTo("connected");
        assertThat(talk.selectFirst("form.kakao-connect button").text()).isEqualTo("Reconnect");
        assertThat(talk.select(".reauthorize")).isEmpty();
    }

    @Test
    void connectSendsTheBrowserToKakaosConsentPageAndConnectsTheChannel() throws Exception {
        Element fresh = row("fresh");
        assertThat(fresh.selectFirst(".auth").text()).isEqualTo("not connected");
        assertThat(fresh.selectFirst("form.kakao-connect button").text()).isEqualTo("Connect");
        String action = fresh.selectFirst("form.kakao-connect").attr("action");
        assertThat(action).isEqualTo("/console/channels/fresh/kakao/connect");

        HttpResponse<String> connect = console.submit("/console", action, Map.of());
        assertThat(connect.statusCode()).isEqualTo(302);
        String callback = "http://127.0.0.1:" + port + "/kakao/fresh/callback";
        String consent = location(connect);
        assertThat(consent).startsWith(KAKAO.url() + "/oauth/authorize?response_type=code&client_id=" + KEY
                + "&redirect_uri=" + URLEncoder.encode(callback, StandardCharsets.UTF_8) + "&scope=talk_message&state=");
        assertThat(consent.substring(consent.indexOf("&state=") + 7)).hasSizeGreaterThan(20);

        // Kakao's consent page sends the browser back to the relay's callback, which checks the state and connects
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> consented = browser.send(HttpRequest.newBuilder(URI.create(consent)).build(),
                HttpResponse.BodyHandlers.ofString());
        URI back = URI.create(consented.headers().firstValue("Location").orElseThrow());
        assertThat(back.toString()).startsWith(callback + "?code=");
        HttpResponse<String> connected = browser.send(HttpRequest.newBuilder(back).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(connected.body()).contains("KakaoTalk channel 'fresh' is connected");

        Element now = row("fresh");
        assertThat(now.selectFirst(".auth").text()).isEqualTo("connected");
        assertThat(now.selectFirst("form.kakao-connect button").text()).isEqualTo("Reconnect");
    }

    @Test
    void connectWithoutTheCsrfTokenIsRefused() {
        assertThat(console.postForm("/console/channels/fresh/kakao/connect", "").statusCode()).isEqualTo(403);
        HttpResponse<String> anonymous = new ConsoleSession(port).postForm("/console/channels/fresh/kakao/connect", "");
        assertThat(anonymous.statusCode()).as("not signed in").isIn(302, 403);
        assertThat(location(anonymous)).doesNotStartWith(KAKAO.url());
    }

    @Test
    void connectForAChannelThatIsNotKakaoSaysSo() {
        HttpResponse<String> connect = console.submit("/console", "/console/channels/tg/kakao/connect", Map.of());
        assertThat(connect.statusCode()).isEqualTo(302);
        assertThat(location(connect)).endsWith("/console");
        assertThat(Jsoup.parse(console.get("/console").body()).selectFirst("#flash-error").text())
                .contains("no KakaoTalk channel named \"tg\"".substring(3));
    }

    @Test
    void aRevokedRefreshTokenShowsTheReauthorizeHintAndReconnect() {
        long id = post("revoked", "critical");
        RelayClient api = new RelayClient(port, "Bearer " + TOKEN);
        await().atMost(WAIT).until(() -> "dead".equals(api.delivery(id, "revoked").get("state").asString()));

        Element revoked = row("revoked");
        assertThat(revoked.selectFirst(".auth").text()).isEqualTo("authorization expired");
        assertThat(revoked.selectFirst(".reauthorize").text()).contains("expired or was revoked", "reconnect");
        assertThat(revoked.selectFirst(".reauthorize").attr("title")).contains("KOE322");
        assertThat(revoked.selectFirst("form.kakao-connect button").text()).isEqualTo("Reconnect");
        assertThat(revoked.outerHtml()).doesNotContain("RT-revoked-").doesNotContain(KEY);
    }

    @Test
    void aTelegramChannelShowsItsBlockAfterA429() {
        Element before = row("tg");
        assertThat(before.selectFirst(".rate-limit.ok").text()).startsWith("ok · 0/20 in 60 s");
        TELEGRAM.script429(TG_CHAT, 30);
        long id = post("tg", "critical");

        await().atMost(WAIT).untilAsserted(() -> {
            Element tg = row("tg");
            Element blocked = tg.selectFirst(".rate-limit.blocked");
            assertThat(blocked).as(tg.outerHtml()).isNotNull();
            assertThat(blocked.text()).startsWith("blocked by 429 until");
            assertThat(blocked.selectFirst("time").attr("datetime")).isNotBlank();
        });
        assertThat(new RelayClient(port, "Bearer " + TOKEN).delivery(id, "tg").get("state").asString())
                .isEqualTo("retrying");
        assertThat(row("tg").outerHtml()).doesNotContain(BOT);
    }
}
