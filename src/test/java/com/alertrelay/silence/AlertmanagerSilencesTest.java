package com.alertrelay.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.alertrelay.reconcile.AlertmanagerHttp;
import com.alertrelay.reconcile.AlertmanagerProperties;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link AlertmanagerSilences} against fake Alertmanager APIs on 127.0.0.1: the v2 JSON it sends, failover in order
 * (connection refused, 5xx, 429, no answer, a body that never comes), a 4xx refusal not tried elsewhere and shown in
 * Alertmanager's words, "not found" on expiry tried everywhere, the merged list of active silences, and credentials
 * (Bearer, Basic, user info in a URL) sent but never in a message.
 */
class AlertmanagerSilencesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofMillis(400);
    private static final Instant STARTS = Instant.parse("2026-12-04T21:00:00Z");
    private static final Instant ENDS = Instant.parse("2026-12-04T22:00:00.250Z");
    private static final String ID = "f6d158e6-8107-40e8-b431-43be6dfb4eb6";
    private static final String CREATED = "{\"silenceID\":\"" + ID + "\"}";
    private static final List<Matcher> MATCHERS = List.of(Matcher.equal("alertname", "결제지연"),
            Matcher.equal("job", "payments"));

    private final List<FakeAlertmanager> fakes = new ArrayList<>();

    @AfterEach
    void stopFakes() {
        fakes.forEach(FakeAlertmanager::close);
    }

    private FakeAlertmanager fake() {
        FakeAlertmanager fake = FakeAlertmanager.start();
        fakes.add(fake);
        return fake;
    }

    private static AlertmanagerSilences silences(List<URI> urls) {
        return silences(urls, null, null, null);
    }

    private static AlertmanagerSilences silences(List<URI> urls, String bearerToken, String username, String password) {
        return new AlertmanagerSilences(new AlertmanagerHttp(new AlertmanagerProperties(urls, bearerToken, username,
                password, Duration.ofMinutes(5), Duration.ofMinutes(10), TIMEOUT)));
    }

    /** A port on 127.0.0.1 nobody listens on: connection refused. */
    private static URI refused() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Silence create(AlertmanagerSilences silences) {
        return silences.create(MATCHERS, STARTS, ENDS, "telegram:@kim", "🔕 1h from Telegram");
    }

    // create

    @Test
    void createPostsAV2SilenceAndReturnsItsIdAndTheAlertmanagerThatTookIt() {
        FakeAlertmanager first = fake().answer("POST /api/v2/silences", 200, CREATED);
        FakeAlertmanager second = fake().answer("POST /api/v2/silences", 200, "{\"silenceID\":\"other\"}");

        Silence silence = create(silences(List.of(first.url(), second.url())));

        assertThat(silence).isEqualTo(new Silence(ID, MATCHERS, STARTS, ENDS, "telegram:@kim", "🔕 1h from Telegram",
                first.url().toString()));
        assertThat(second.requests()).as("the first took it; the second is not asked").isEmpty();
        FakeAlertmanager.Request request = first.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v2/silences");
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(request.authorization()).as("no credentials configured").isNull();
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.get("matchers")).hasSize(2);
        assertThat(body.get("matchers").get(0).toString())
                .isEqualTo("{\"name\":\"alertname\",\"value\":\"결제지연\",\"isRegex\":false,\"isEqual\":true}");
        assertThat(body.get("matchers").get(1).toString())
                .isEqualTo("{\"name\":\"job\",\"value\":\"payments\",\"isRegex\":false,\"isEqual\":true}");
        assertThat(body.get("startsAt").asString()).isEqualTo("2026-12-04T21:00:00Z");
        assertThat(body.get("endsAt").asString()).isEqualTo("2026-12-04T22:00:00.250Z");
        assertThat(body.get("createdBy").asString()).isEqualTo("telegram:@kim");
        assertThat(body.get("comment").asString()).isEqualTo("🔕 1h from Telegram");
        assertThat(body.has("id")).as("an id would update an existing silence").isFalse();
    }

    @Test
    void createTriesTheNextWhenOneRefusesConnectionsAnswers5xxOr429OrNothingOrNoBody() {
        FakeAlertmanager unavailable = fake().answer("POST /api/v2/silences", 503, "\"upstream unavailable\"");
        FakeAlertmanager busy = fake().answer("POST /api/v2/silences", 429, "");
        FakeAlertmanager silent = fake().noAnswer("POST /api/v2/silences");
        FakeAlertmanager noBody = fake().headersOnly("POST /api/v2/silences");
        FakeAlertmanager empty = fake().answer("POST /api/v2/silences", 200, "<html>proxy</html>");
        FakeAlertmanager working = fake().answer("POST /api/v2/silences", 200, CREATED);

        long start = System.nanoTime();
        Silence silence = create(silences(List.of(refused(), unavailable.url(), busy.url(), silent.url(),
                noBody.url(), empty.url(), working.url())));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(silence.id()).isEqualTo(ID);
        assertThat(silence.alertmanager()).isEqualTo(working.url().toString());
        for (FakeAlertmanager tried : List.of(unavailable, busy, silent, noBody, empty, working)) {
            assertThat(tried.requests()).hasSize(1);
        }
        assertThat(took).as("two timeouts of %s, the rest at once", TIMEOUT).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aRefusalIsNotTriedElsewhereAndCarriesAlertmanagersOwnText() {
        FakeAlertmanager refusing = fake().answer("POST /api/v2/silences", 400,
                "\"silence invalid: invalid label matcher 0: invalid regular expression \\\"(\\\": error parsing regexp: missing closing ): `(`\"");
        FakeAlertmanager other = fake().answer("POST /api/v2/silences", 200, CREATED);

        SilenceRefusedException refusal = catchThrowableOfType(SilenceRefusedException.class,
                () -> silences(List.of(refusing.url(), other.url()))
                        .create(List.of(new Matcher("job", "(", true, true)), STARTS, ENDS, "kim", "bad regex"));

        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.alertmanager()).isEqualTo(refusing.url().toString());
        assertThat(refusal.reason()).isEqualTo("silence invalid: invalid label matcher 0: invalid regular expression "
                + "\"(\": error parsing regexp: missing closing ): `(`");
        assertThat(refusal).hasMessage("Alertmanager " + refusing.url() + " refused to create the silence "
                + "{job=~\"(\"}: HTTP 400: " + refusal.reason());
        assertThat(other.requests()).as("another Alertmanager would refuse it alike").isEmpty();
    }

    @Test
    void aRequestTheApiSchemaRejectsShowsItsMessage() {
        FakeAlertmanager refusing = fake().answer("POST /api/v2/silences", 422,
                "{\"code\":612,\"message\":\"matchers in body should have at least 1 items\"}");

        assertThatThrownBy(() -> silences(List.of(refusing.url())).create(List.of(), STARTS, ENDS, "kim", "none"))
                .isInstanceOf(SilenceRefusedException.class)
                .hasMessageEndingWith("refused to create the silence {}: HTTP 422: matchers in body should have at least 1 items");
    }

    @Test
    void whenEveryAlertmanagerFailsTheMessageSaysPerAlertmanagerWhatHappened() {
        URI refused = refused();
        FakeAlertmanager unavailable = fake().answer("POST /api/v2/silences", 503, "\"cluster not ready\"");
        FakeAlertmanager silent = fake().noAnswer("POST /api/v2/silences");

        SilencesUnavailableException failure = catchThrowableOfType(SilencesUnavailableException.class,
                () -> create(silences(List.of(refused, unavailable.url(), silent.url()))));

        assertThat(failure.failures()).hasSize(3);
        assertThat(failure.failures().get(0)).isEqualTo(refused + " → connection refused");
        assertThat(failure.failures().get(1)).isEqualTo(unavailable.url() + " → HTTP 503: cluster not ready");
        assertThat(failure.failures().get(2)).startsWith(silent.url() + " → no ").endsWith("answer within 400ms");
        assertThat(failure).hasMessage("No Alertmanager could create the silence {alertname=\"결제지연\", "
                + "job=\"payments\"}: " + String.join("; ", failure.failures()));
    }

    @Test
    void withoutAlertmanagersNothingCanBeSilenced() {
        AlertmanagerSilences silences = silences(List.of());

        assertThat(silences.configured()).isFalse();
        assertThatThrownBy(() -> create(silences)).isInstanceOf(SilencesUnavailableException.class)
                .hasMessageContaining("no Alertmanager is configured (relay.alertmanager.urls)");
        assertThatThrownBy(() -> silences.expire(ID)).isInstanceOf(SilencesUnavailableException.class);
        assertThatThrownBy(silences::active).isInstanceOf(SilencesUnavailableException.class);
    }

    // credentials

    @Test
    void aBearerTokenIsSentToEveryAlertmanagerAndNeverShownInAMessage() {
        String token = "am-proxy-token_9f8e7d6c";
        FakeAlertmanager echoing = fake().answer("POST /api/v2/silences", 502,
                "<html>bad gateway for Authorization: Bearer " + token + "</html>");
        FakeAlertmanager silent = fake().noAnswer("POST /api/v2/silences");

        SilencesUnavailableException failure = catchThrowableOfType(SilencesUnavailableException.class,
                () -> create(silences(List.of(echoing.url(), silent.url()), token, null, null)));

        assertThat(echoing.requests().get(0).authorization()).isEqualTo("Bearer " + token);
        assertThat(silent.requests().get(0).authorization()).isEqualTo("Bearer " + token);
        assertThat(failure.getMessage()).contains("HTTP 502: <html>bad gateway for Authorization: Bearer ***</html>")
                .doesNotContain(token);
    }

    @Test
    void basicCredentialsAreSentAndNeitherThePasswordNorTheHeaderNorUserInfoInAUrlIsShown() {
        String password = "p4ss:w0rd-7c1";
        String header = Base64.getEncoder().encodeToString(("ops:" + password).getBytes(StandardCharsets.UTF_8));
        String echo = "\"rejected Basic " + header + " (password " + password + ")\"";
        FakeAlertmanager proxy = fake().answer("POST /api/v2/silences", 401, echo)
                .answer("DELETE /api/v2/silence/*", 503, echo);
        FakeAlertmanager second = fake().answer("DELETE /api/v2/silence/*", 503, "");
        URI withUserInfo = URI.create("http://admin:url-secret-55@127.0.0.1:" + second.url().getPort());
        AlertmanagerSilences silences = silences(List.of(proxy.url(), withUserInfo), null, "ops", password);

        SilenceRefusedException refusal = catchThrowableOfType(SilenceRefusedException.class, () -> create(silences));
        SilencesUnavailableException failure = catchThrowableOfType(SilencesUnavailableException.class,
                () -> silences.expire(ID));

        assertThat(proxy.requests()).extracting(FakeAlertmanager.Request::authorization)
                .containsOnly("Basic " + header);
        assertThat(second.requests()).extracting(FakeAlertmanager.Request::authorization)
                .containsOnly("Basic " + header);
        assertThat(refusal.status()).isEqualTo(401);
        assertThat(refusal.reason()).isEqualTo("rejected Basic *** (password ***)");
        for (Exception e : List.of(refusal, failure)) {
            assertThat(e.getMessage()).doesNotContain(password, header, "url-secret-55", "admin:");
        }
        assertThat(failure.failures()).containsExactly(proxy.url() + " → HTTP 503: rejected Basic *** (password ***)",
                "http://127.0.0.1:" + second.url().getPort() + " → HTTP 503");
    }

    // expire

    @Test
    void expireDeletesTheSilenceAtTheFirstAlertmanager() {
        FakeAlertmanager first = fake().answer("DELETE /api/v2/silence/" + ID, 200, "");
        FakeAlertmanager second = fake().answer("DELETE /api/v2/silence/*", 200, "");

        silences(List.of(first.url(), second.url()), "t0ken", null, null).expire(ID);

        assertThat(first.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("DELETE");
            assertThat(r.path()).isEqualTo("/api/v2/silence/" + ID);
            assertThat(r.authorization()).isEqualTo("Bearer t0ken");
        });
        assertThat(second.requests()).isEmpty();
    }

    @Test
    void aSilenceNotFoundAtOneAlertmanagerIsExpiredAtTheNextWhereGossipHasBroughtIt() {
        FakeAlertmanager notYet = fake().answer("DELETE /api/v2/silence/*", 404, "");
        FakeAlertmanager notYet025 = fake().answer("DELETE /api/v2/silence/*", 500, "\"silence not found\"");
        FakeAlertmanager unavailable = fake().answer("DELETE /api/v2/silence/*", 503, "");
        FakeAlertmanager has = fake().answer("DELETE /api/v2/silence/*", 200, "");

        silences(List.of(notYet.url(), notYet025.url(), refused(), unavailable.url(), has.url())).expire(ID);

        assertThat(has.requests()).hasSize(1);
    }

    @Test
    void notFoundIsReportedOnlyWhenEveryAlertmanagerSaysSo() {
        FakeAlertmanager a = fake().answer("DELETE /api/v2/silence/*", 404, "");
        FakeAlertmanager b = fake().answer("DELETE /api/v2/silence/*", 500, "\"silence not found\"");
        URI down = refused();

        SilenceNotFoundException notFound = catchThrowableOfType(SilenceNotFoundException.class,
                () -> silences(List.of(a.url(), b.url())).expire(ID));
        SilencesUnavailableException unknown = catchThrowableOfType(SilencesUnavailableException.class,
                () -> silences(List.of(a.url(), down)).expire(ID));

        assertThat(notFound.silenceId()).isEqualTo(ID);
        assertThat(notFound).hasMessage("Silence " + ID + " was not found on any Alertmanager: " + a.url()
                + " → not found (HTTP 404); " + b.url() + " → not found (HTTP 500: silence not found)");
        assertThat(unknown).as("the one that could not be asked may have it")
                .hasMessage("No Alertmanager could expire silence " + ID + ": " + a.url() + " → not found (HTTP 404); "
                        + down + " → connection refused");
    }

    @Test
    void anExpiryAlertmanagerRefusesIsNotTriedElsewhere() {
        FakeAlertmanager refusing = fake().answer("DELETE /api/v2/silence/*", 422,
                "{\"code\":601,\"message\":\"silenceID in path must be of type uuid: \\\"not-a-uuid\\\"\"}");
        FakeAlertmanager other = fake().answer("DELETE /api/v2/silence/*", 200, "");

        assertThatThrownBy(() -> silences(List.of(refusing.url(), other.url())).expire("not-a-uuid"))
                .isInstanceOf(SilenceRefusedException.class)
                .hasMessage("Alertmanager " + refusing.url() + " refused to expire silence not-a-uuid: HTTP 422: "
                        + "silenceID in path must be of type uuid: \"not-a-uuid\"");
        assertThat(other.requests()).isEmpty();
    }

    @Test
    void theIdIsOnePathSegment() {
        FakeAlertmanager alertmanager = fake().answer("DELETE /api/v2/silence/*", 200, "");

        silences(List.of(alertmanager.url())).expire("../alerts x");

        assertThat(alertmanager.requests().get(0).path()).isEqualTo("/api/v2/silence/..%2Falerts%20x");
    }

    // active

    private static String listed(String id, String state, String updatedAt, String endsAt) {
        return """
                {"id":"%s","status":{"state":"%s"},"updatedAt":"%s","comment":"c-%s","createdBy":"kim",
                 "startsAt":"2026-12-04T21:00:00.5+09:00","endsAt":"%s",
                 "matchers":[{"isEqual":true,"isRegex":false,"name":"alertname","value":"결제지연"},
                             {"isEqual":false,"isRegex":true,"name":"env","value":"dev|test"}]}"""
                .formatted(id, state, updatedAt, id, endsAt);
    }

    @Test
    void activeListsTheActiveSilencesOfEveryAlertmanagerOnceTheNewestVersionCounting() {
        FakeAlertmanager a = fake().answer("GET /api/v2/silences", 200, "[" + String.join(",",
                listed("gossiped", "active", "2026-12-04T21:00:00Z", "2026-12-04T23:00:00Z"),
                listed("expired-at-b", "active", "2026-12-04T21:00:00Z", "2026-12-04T23:00:00Z"),
                listed("old", "expired", "2026-12-04T20:00:00Z", "2026-12-04T20:30:00Z"),
                listed("later", "pending", "2026-12-04T21:00:00Z", "2026-12-05T23:00:00Z")) + "]");
        FakeAlertmanager b = fake().answer("GET /api/v2/silences", 200, "[" + String.join(",",
                listed("gossiped", "active", "2026-12-04T21:00:00Z", "2026-12-04T23:00:00Z"),
                listed("expired-at-b", "expired", "2026-12-04T21:30:00.123456789Z", "2026-12-04T21:30:00.123456789Z"),
                listed("only-b", "active", "2026-12-04T21:00:00Z", "2026-12-05T07:00:00+09:00")) + "]");

        List<Silence> active = silences(List.of(a.url(), b.url())).active();

        assertThat(active).extracting(Silence::id).containsExactly("only-b", "gossiped");
        Silence onlyB = active.get(0);
        assertThat(onlyB.endsAt()).isEqualTo(Instant.parse("2026-12-04T22:00:00Z"));
        assertThat(onlyB.startsAt()).isEqualTo(Instant.parse("2026-12-04T12:00:00.5Z"));
        assertThat(onlyB.matchers()).containsExactly(Matcher.equal("alertname", "결제지연"),
                new Matcher("env", "dev|test", true, false));
        assertThat(onlyB.createdBy()).isEqualTo("kim");
        assertThat(onlyB.comment()).isEqualTo("c-only-b");
        assertThat(onlyB.alertmanager()).isEqualTo(b.url().toString());
        assertThat(active.get(1).alertmanager()).as("the first to list it").isEqualTo(a.url().toString());
    }

    @Test
    void activeLeavesOutAnAlertmanagerThatCannotBeAskedAsLongAsOneAnswers() {
        FakeAlertmanager garbage = fake().answer("GET /api/v2/silences", 200, "<html>login</html>");
        FakeAlertmanager answering = fake().answer("GET /api/v2/silences", 200,
                "[" + listed("s1", "active", "2026-12-04T21:00:00Z", "2026-12-04T23:00:00Z") + "]");
        URI down = refused();

        assertThat(silences(List.of(down, garbage.url(), answering.url())).active()).extracting(Silence::id)
                .containsExactly("s1");
        assertThatThrownBy(() -> silences(List.of(down, garbage.url())).active())
                .isInstanceOf(SilencesUnavailableException.class)
                .hasMessage("No Alertmanager could list the silences: " + down + " → connection refused; "
                        + garbage.url() + " → HTTP 200 but not a list of silences: not JSON");
    }

    // matchers

    @Test
    void theMatchersOfAGroupAreItsGroupLabelsAndItsAlertname() {
        Map<String, String> common = Map.of("alertname", "DiskFull", "cluster", "prod", "instance", "db-1:9100",
                "severity", "critical");

        assertThat(Matcher.forGroup(Map.of("cluster", "prod", "severity", "critical"), common)).containsExactly(
                Matcher.equal("alertname", "DiskFull"), Matcher.equal("cluster", "prod"),
                Matcher.equal("severity", "critical"));
        assertThat(Matcher.forGroup(Map.of("job", "node", "alertname", "DiskFull"), Map.of("alertname", "DiskFull")))
                .containsExactly(Matcher.equal("alertname", "DiskFull"), Matcher.equal("job", "node"));
        assertThat(Matcher.forGroup(Map.of("cluster", "prod"), Map.of("cluster", "prod")))
                .as("alerts of different names in the group: no alertname").containsExactly(Matcher.equal("cluster", "prod"));
        assertThat(Matcher.forGroup(Map.of("cluster", "prod"), null)).containsExactly(Matcher.equal("cluster", "prod"));
        assertThatThrownBy(() -> Matcher.forGroup(Map.of(), common)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no group_by");
    }

    @Test
    void matchersReadAsAmtoolWritesThem() {
        assertThat(Matcher.equal("alertname", "Disk \"Full\"")).hasToString("alertname=\"Disk \\\"Full\\\"\"");
        assertThat(new Matcher("env", "dev", false, false)).hasToString("env!=\"dev\"");
        assertThat(new Matcher("env", "dev|test", true, true)).hasToString("env=~\"dev|test\"");
        assertThat(new Matcher("env", "prod.*", true, false)).hasToString("env!~\"prod.*\"");
        assertThatThrownBy(() -> Matcher.equal(" ", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
