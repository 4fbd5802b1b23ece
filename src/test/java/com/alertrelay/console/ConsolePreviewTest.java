package com.alertrelay.console;

import static com.alertrelay.testsupport.ConsoleSession.location;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.alertrelay.testsupport.ConsoleSession;
import com.alertrelay.testsupport.Fixtures;
import com.alertrelay.testsupport.RelayClient;

/**
 * The console's preview over HTTP as a browser without script uses it: a payload — pasted or stored — shown per
 * channel as the chat shows it (Telegram's formatting in a bubble, KakaoTalk's template as a card), alert text always
 * escaped, and what the webhook would refuse said on the page with the form kept.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.admin.token=" + ConsolePreviewTest.TOKEN,
        "relay.webhook.bearer-token=preview-webhook-token-0123456789",
        "relay.channels.log.enabled=false",
        "relay.channels.tg.type=telegram",
        "relay.channels.tg.bot-token=123456:PREVIEW-secret-token-AAAABBBBCCCC",
        "relay.channels.tg.chat-id=-100200",
        "relay.channels.tg.api-url=http://127.0.0.1:9",
        "relay.channels.tg.time-zone=Asia/Seoul",
        "relay.channels.talk.type=kakao",
        "relay.channels.talk.rest-api-key=preview-kakao-rest-api-key",
        "relay.channels.talk.api-url=http://127.0.0.1:9",
        "relay.channels.talk.auth-url=http://127.0.0.1:9",
        "relay.channels.rec.type=recording",
        "relay.routes.both.channels=tg,talk",
        "relay.routes.rec.channels=rec"})
class ConsolePreviewTest {

    static final String TOKEN = "preview-admin-token-0123456789";
    private static final String HOSTILE = "<img src=x onerror=alert(1)>";

    @LocalServerPort
    int port;

    private ConsoleSession console;

    @BeforeEach
    void signIn() {
        console = new ConsoleSession(port);
        assertThat(location(console.signIn(TOKEN))).endsWith("/console");
    }

    private HttpResponse<String> preview(Map<String, String> fields) {
        return console.submit("/console/preview", "/console/preview", fields);
    }

    /** The fixture with an instance label that is an HTML tag. */
    private static String hostilePayload() {
        return Fixtures.body("alertmanager-0.25/firing-single.json")
                .replace("\"instance\":\"order-service:8080\"", "\"instance\":\"" + HOSTILE + "\"");
    }

    @Test
    void theFormOffersTheRoutesAndTheRecentNotifications() {
        HttpResponse<String> page = console.get("/console/preview");
        assertThat(page.statusCode()).isEqualTo(200);
        Document doc = Jsoup.parse(page.body());
        Element form = doc.selectFirst("form#preview");
        assertThat(form).isNotNull();
        assertThat(form.attr("method")).isEqualToIgnoringCase("post");
        assertThat(form.select("input[name=_csrf]")).hasSize(1);
        assertThat(form.select("textarea[name=payload]")).hasSize(1);
        assertThat(form.select("select[name=route] option").eachAttr("value")).containsExactly("both", "default", "rec");
        assertThat(form.select("select[name=notification]")).hasSize(1);

        assertThat(Jsoup.parse(console.get("/console/preview", "ko-KR,ko;q=0.9").body()).selectFirst("form#preview button")
                .text()).as("Korean for a Korean browser").isEqualTo("미리 보기");
    }

    @Test
    void aPayloadIsShownPerChannelAsTheChatShowsItWithAlertTextEscaped() {
        // as the browser posts the form: no stored notification picked
        HttpResponse<String> page = preview(Map.of("route", "both", "notification", "", "payload", hostilePayload()));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).as("no tag from the alert reaches the page")
                .doesNotContain("<img").doesNotContain("<script>alert(1)");
        Document doc = Jsoup.parse(page.body());

        Element telegram = doc.selectFirst(".preview[data-channel=tg]");
        assertThat(telegram).isNotNull();
        Element bubble = telegram.selectFirst(".bubble.telegram");
        assertThat(bubble).as("Telegram's formatting is kept").isNotNull();
        assertThat(bubble.select("b")).isNotEmpty();
        assertThat(bubble.text()).contains("FIRING", "HighErrorRate", HOSTILE, "<script>alert(1)</script>");
        assertThat(bubble.select("img, script")).isEmpty();
        assertThat(bubble.html()).contains("&lt;img src=x onerror=alert(1)&gt;");
        assertThat(telegram.selectFirst("details.raw pre").text()).as("the raw Telegram-HTML, shown as text")
                .contains("<b>", "&lt;img src=x onerror=alert(1)&gt;");

        Element kakao = doc.selectFirst(".preview[data-channel=talk]");
        assertThat(kakao).isNotNull();
        Element card = kakao.selectFirst(".bubble.kakao-card[data-object-type=text]");
        assertThat(card).as("a KakaoTalk card").isNotNull();
        assertThat(card.selectFirst(".kakao-text").text()).startsWith("[FIRING] critical · HighErrorRate");
        assertThat(card.select(".kakao-button").eachText()).containsExactly("Alertmanager");
        assertThat(card.selectFirst("a.kakao-button").attr("href")).isEqualTo("http://alertmanager.example:9093");
        assertThat(kakao.selectFirst("details.raw pre").text()).contains("\"object_type\":\"text\"");
        assertThat(card.html()).contains("&lt;script&gt;").doesNotContain("<script");
    }

    @Test
    void aGroupBecomesAKakaoListCardWithItsItemsAndButton() {
        String group = Fixtures.body("alertmanager-0.25/firing-group.json");
        Document doc = Jsoup.parse(preview(Map.of("route", "both", "payload", group)).body());

        Element card = doc.selectFirst(".preview[data-channel=talk] .bubble.kakao-card[data-object-type=list]");
        assertThat(card).isNotNull();
        assertThat(card.selectFirst(".kakao-text").text()).startsWith("[FIRING]");
        assertThat(card.select(".kakao-item")).hasSizeBetween(2, 3);
        assertThat(card.select(".kakao-button").eachText()).containsExactly("Alertmanager");
        assertThat(doc.select(".preview[data-channel=tg] .bubble.telegram")).isNotEmpty();
    }

    @Test
    void aStoredNotificationIsPreviewedOnItsRouteOrAnother() {
        long id = new RelayClient(port, "Bearer preview-webhook-token-0123456789")
                .postOk("/webhook/rec", hostilePayload()).path("notificationId").asLong();

        HttpResponse<String> onItsRoute = console.get("/console/preview?notification=" + id);
        assertThat(onItsRoute.statusCode()).isEqualTo(200);
        Document doc = Jsoup.parse(onItsRoute.body());
        assertThat(doc.selectFirst("select[name=route] option[selected]").val()).isEqualTo("rec");
        assertThat(doc.selectFirst("textarea[name=payload]").val()).as("the stored payload, to edit")
                .contains("HighErrorRate", HOSTILE);
        assertThat(doc.select(".preview").eachAttr("data-channel")).containsExactly("rec");
        assertThat(doc.select("select[name=notification] option").eachAttr("value")).contains(String.valueOf(id));
        assertThat(onItsRoute.body()).doesNotContain("<img");

        Document other = Jsoup.parse(preview(Map.of("route", "both", "notification", String.valueOf(id))).body());
        assertThat(other.select(".preview").eachAttr("data-channel")).containsExactly("tg", "talk");

        HttpResponse<String> pruned = console.get("/console/preview?notification=999999");
        assertThat(pruned.statusCode()).isEqualTo(404);
        assertThat(pruned.body()).contains("There is no notification 999999");
    }

    @Test
    void invalidJsonIsExplainedAndTheFormKeepsIt() {
        String broken = "{\"status\": \"firing\", \"alerts\": [ <b>oops";
        HttpResponse<String> page = preview(Map.of("route", "both", "payload", broken));

        assertThat(page.statusCode()).isEqualTo(400);
        Document doc = Jsoup.parse(page.body());
        assertThat(doc.selectFirst("#preview-problem").text()).startsWith("Malformed JSON at line 1");
        assertThat(doc.selectFirst("textarea[name=payload]").val()).isEqualTo(broken);
        assertThat(page.body()).doesNotContain("<b>oops").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(doc.select(".preview")).isEmpty();
    }

    @Test
    void aPayloadTheWebhookWouldRefuseOrAnUnknownRouteIsExplained() {
        String noAlerts = "{\"status\":\"firing\",\"alerts\":[],\"version\":\"4\"}";
        HttpResponse<String> invalid = preview(Map.of("route", "both", "payload", noAlerts));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(Jsoup.parse(invalid.body()).selectFirst("#preview-problem").text()).isEqualTo("alerts: must not be empty");

        String wrongType = Fixtures.body("alertmanager-0.25/firing-single.json").replace("\"truncatedAlerts\":0",
                "\"truncatedAlerts\":\"many\"");
        assertThat(Jsoup.parse(preview(Map.of("route", "both", "payload", wrongType)).body())
                .selectFirst("#preview-problem").text()).startsWith("truncatedAlerts:");

        HttpResponse<String> unknown = preview(Map.of("route", "nowhere", "payload", hostilePayload()));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(Jsoup.parse(unknown.body()).selectFirst("#preview-problem").text()).contains("No relay route named 'nowhere'");
    }

    @Test
    void aPreviewWithoutTheCsrfTokenIsRefused() {
        assertThat(console.postForm("/console/preview", "route=both&payload=%7B%7D").statusCode()).isEqualTo(403);
    }
}
