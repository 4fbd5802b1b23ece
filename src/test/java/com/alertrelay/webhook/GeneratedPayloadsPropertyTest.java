package com.alertrelay.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.alertrelay.AlertRelayApplication;
import com.alertrelay.testsupport.RelayClient;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Whatever the webhook answers 200 to, every channel can render: generated Alertmanager-shaped payloads — nulls,
 * empty and huge strings, every Unicode plane, control characters and line separators, RTL marks, HTML, odd and
 * extreme timestamps, thousands of labels, more alerts than relay.webhook.max-alerts — are either refused with a
 * 4xx, or answered 200 and rendered by the log, Telegram and KakaoTalk channels on {@code ?dry-run=true}; never a
 * 5xx. The durable webhook gives the same answer as the dry run for each of them.
 */
class GeneratedPayloadsPropertyTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> CHANNELS = List.of("kakao", "log", "telegram");

    private static ConfigurableApplicationContext relay;
    private static RelayClient client;

    @BeforeContainer
    static void start() {
        relay = new SpringApplicationBuilder(AlertRelayApplication.class).run("--server.port=0",
                "--server.address=127.0.0.1", "--app.roles=relay",
                "--relay.data-dir=target/test-data/generated-" + UUID.randomUUID(),
                "--logging.level.relay.alerts=WARN", "--relay.webhook.max-alerts=200",
                // the chat APIs are never called: dry runs render only, and the stored deliveries may fail
                "--relay.channels.telegram.type=telegram", "--relay.channels.telegram.bot-token=123456:generated-test",
                "--relay.channels.telegram.chat-id=-100123", "--relay.channels.telegram.api-url=http://127.0.0.1:9",
                "--relay.channels.kakao.type=kakao", "--relay.channels.kakao.rest-api-key=generated-test-key",
                "--relay.channels.kakao.api-url=http://127.0.0.1:9", "--relay.channels.kakao.auth-url=http://127.0.0.1:9");
        client = new RelayClient(((WebServerApplicationContext) relay).getWebServer().getPort());
    }

    @AfterContainer
    static void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Property(tries = 200)
    void everyPayloadIsRefusedOrRenderedByEveryChannel(@ForAll("payloads") String payload) {
        HttpResponse<String> preview = client.post("/webhook?dry-run=true", payload);
        int status = preview.statusCode();
        Statistics.label("answer").collect(status);
        assertThat(status).as("dry run of %s", abbreviate(payload)).isIn(200, 400, 413, 415)
                .isNotEqualTo(500);
        if (status == 200) {
            JsonNode channels = RelayClient.json(preview).get("channels");
            assertThat(channels.findValuesAsString("channel")).containsExactlyInAnyOrderElementsOf(CHANNELS);
            channels.forEach(channel -> assertThat(channel.get("messages").size())
                    .as("messages of %s", channel.get("channel")).isPositive());
        } else {
            assertThat(preview.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }

        HttpResponse<String> stored = client.post("/webhook", payload);
        assertThat(stored.statusCode()).as("the durable webhook agrees with the dry run").isEqualTo(status);
    }

    @Provide
    Arbitrary<String> payloads() {
        Arbitrary<ArrayNode> alerts = alert().list().ofMinSize(0).ofMaxSize(12)
                .edgeCases(edges -> edges.add(List.of()))
                .map(list -> {
                    ArrayNode array = NODES.arrayNode();
                    list.forEach(array::add);
                    return array;
                });
        Arbitrary<ArrayNode> manyAlerts = plainAlert().list().ofSize(250).map(list -> {
            ArrayNode array = NODES.arrayNode();
            list.forEach(array::add);
            return array;
        });
        return Combinators.combine(Arbitraries.frequencyOf(
                                Tuple.of(20, alerts), Tuple.of(1, manyAlerts)),
                        labels(), labels(), text(), text(), Arbitraries.of("firing", "resolved", "FIRING", ""))
                .as((alertList, groupLabels, commonLabels, groupKey, externalUrl, status) -> {
                    ObjectNode group = NODES.objectNode();
                    group.put("version", "4");
                    group.put("status", status);
                    group.put("receiver", "generated");
                    group.set("groupLabels", groupLabels);
                    group.set("commonLabels", commonLabels);
                    group.set("commonAnnotations", NODES.objectNode().put("summary", "생성된 알림 <b>&</b>"));
                    group.put("externalURL", externalUrl);
                    group.put("groupKey", groupKey);
                    group.set("alerts", alertList);
                    return JSON.writeValueAsString(group);
                });
    }

    /** A well-formed alert with short values: for notifications with more alerts than max-alerts. */
    private Arbitrary<ObjectNode> plainAlert() {
        return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).map(name -> {
            ObjectNode alert = NODES.objectNode();
            alert.put("status", "firing");
            alert.set("labels", NODES.objectNode().put("alertname", "Many").put("instance", name));
            alert.set("annotations", NODES.objectNode().put("summary", "많은 알림 " + name));
            alert.put("startsAt", "2026-11-25T08:00:00Z");
            alert.put("endsAt", "0001-01-01T00:00:00Z");
            return alert;
        });
    }

    private Arbitrary<ObjectNode> alert() {
        return Combinators.combine(labels(), labels(), timestamp(), timestamp(), text(),
                        Arbitraries.of("firing", "resolved", "pending"))
                .as((labels, annotations, startsAt, endsAt, url, status) -> {
                    ObjectNode alert = NODES.objectNode();
                    alert.put("status", status);
                    alert.set("labels", labels);
                    alert.set("annotations", annotations);
                    alert.set("startsAt", startsAt);
                    alert.set("endsAt", endsAt);
                    alert.put("generatorURL", url);
                    alert.put("fingerprint", Long.toHexString(url.hashCode()));
                    return alert;
                });
    }

    /** Labels or annotations: usually a few, sometimes thousands; values may be null, numbers or objects. */
    private Arbitrary<ObjectNode> labels() {
        Arbitrary<JsonNode> value = Arbitraries.frequencyOf(
                Tuple.of(30, text().map(t -> (JsonNode) NODES.stringNode(t))),
                Tuple.of(1, Arbitraries.just((JsonNode) NODES.nullNode())),
                Tuple.of(1, Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i))),
                Tuple.of(1, Arbitraries.just((JsonNode) NODES.objectNode().put("nested", "x"))));
        Arbitrary<ObjectNode> few = Arbitraries.maps(text().filter(name -> !name.isEmpty()), value)
                .ofMaxSize(8).map(GeneratedPayloadsPropertyTest::object);
        Arbitrary<ObjectNode> thousands = Arbitraries.maps(
                        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12),
                        Arbitraries.strings().ofMaxLength(8).map(t -> (JsonNode) NODES.stringNode(t)))
                .ofMinSize(1000).ofMaxSize(3000).map(GeneratedPayloadsPropertyTest::object);
        return Arbitraries.frequencyOf(Tuple.of(40, few), Tuple.of(1, thousands));
    }

    private static ObjectNode object(Map<String, JsonNode> entries) {
        ObjectNode node = NODES.objectNode();
        entries.forEach(node::set);
        return node;
    }

    /** Any Unicode text, and the strings that break renderers; now and then a very long one. */
    private static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(Tuple.of(60, shortText()),
                Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(5_000).ofMaxLength(20_000)));
    }

    private static Arbitrary<String> shortText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(5),
                Arbitraries.of("", " ", "\r\nstatus=resolved alertname=Forged", "\u2028\u2029\u0085", "\u202e\u200f",
                        "<b>bold</b> & <script>alert(1)</script> <a href=\"x\">", "주문 서비스 오류율이 높습니다",
                        "😀👩‍💻🇰🇷", "\ud800", "https://example.com/?a=<b>&c=\"d\"", "javascript:alert(1)",
                        "%s %d {} ${x}", "\\u0000"));
    }

    private static Arbitrary<JsonNode> timestamp() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(Instant.parse("0001-01-01T00:00:00Z").getEpochSecond(),
                        Instant.parse("9999-12-31T23:59:59Z").getEpochSecond())
                        .map(s -> NODES.stringNode(Instant.ofEpochSecond(s).toString())),
                Arbitraries.of("0001-01-01T00:00:00Z", "+999999999-12-31T23:00:00Z", "-999999999-01-01T00:00:00Z",
                        "2026-11-25T17:00:00+09:00", "2026-13-45T99:99:99Z", "yesterday", "",
                        "1970-01-01T00:00:00Z").map(NODES::stringNode),
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.longs().map(l -> (JsonNode) NODES.numberNode(l)));
    }

    private static String abbreviate(String payload) {
        return payload.length() > 2_000 ? payload.substring(0, 2_000) + "…" : payload;
    }
}
