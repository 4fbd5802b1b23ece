package com.alertrelay.notify.kakao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The kapi/kauth clients against the fake: requests as Kakao expects them, errors classified. */
class KakaoApiTest {

    static final String KEY = "api-test-key-" + UUID.randomUUID();
    static final String SECRET = "api-test-secret-" + UUID.randomUUID();
    static final FakeKakao FAKE = new FakeKakao(KEY, SECRET);
    static final String TEXT = "{\"object_type\":\"text\",\"text\":\"hello\",\"link\":{\"web_url\":\"https://a.example\"}}";

    @AfterAll
    static void stop() {
        FAKE.close();
    }

    static KakaoSettings settings(String secret, KakaoSettings.Mode mode, List<String> uuids) {
        return new KakaoSettings(KEY, secret, null, mode, uuids, null, List.of(), URI.create(FAKE.url()),
                URI.create(FAKE.url()), null, 100, 0.8, Duration.ofMinutes(15), null, Duration.ofSeconds(2),
                Duration.ofSeconds(5));
    }

    private final KakaoSettings memo = settings(SECRET, KakaoSettings.Mode.MEMO, List.of());
    private final KakaoApi api = new KakaoApi(memo);
    private final KakaoAuthApi auth = new KakaoAuthApi(memo);

    @Test
    void sendToMeWithAValidTokenAndTheErrorsClassified() {
        String token = FAKE.issueAccessToken();
        api.sendToMe(token, TEXT, null);
        assertThat(FAKE.sent()).anySatisfy(s -> assertThat(s.text()).isEqualTo("hello"));

        assertThat(failure(() -> api.sendToMe("unknown-token", TEXT, null)).kind())
                .isEqualTo(KakaoException.Kind.EXPIRED_ACCESS_TOKEN);
        KakaoException tooLong = failure(() -> api.sendToMe(token,
                "{\"object_type\":\"text\",\"text\":\"" + "가".repeat(201) + "\",\"link\":{\"web_url\":\"https://a\"}}", null));
        assertThat(tooLong.kind()).isEqualTo(KakaoException.Kind.PERMANENT);
        assertThat(tooLong.getMessage()).contains("-2").contains("200 characters");
        assertThat(failure(() -> api.sendToMe(token, "{\"object_type\":\"text\",\"text\":\"no link\"}", null)).getMessage())
                .contains("link is required");

        FAKE.failNextSends(-10, -531, -1, -9798, -402);
        assertThat(failure(() -> api.sendToMe(token, TEXT, null)).kind()).isEqualTo(KakaoException.Kind.QUOTA);
        assertThat(failure(() -> api.sendToMe(token, TEXT, null)).kind()).isEqualTo(KakaoException.Kind.QUOTA);
        assertThat(failure(() -> api.sendToMe(token, TEXT, null)).kind()).isEqualTo(KakaoException.Kind.TRANSIENT);
        assertThat(failure(() -> api.sendToMe(token, TEXT, null)).kind()).isEqualTo(KakaoException.Kind.TRANSIENT);
        KakaoException consent = failure(() -> api.sendToMe(token, TEXT, null));
        assertThat(consent.kind()).isEqualTo(KakaoException.Kind.PERMANENT);
        assertThat(consent.errorCode()).isEqualTo("-402");
    }

    @Test
    void sendToFriendsPassesTheReceiversAsAJsonArray() {
        KakaoSettings friends = settings(SECRET, KakaoSettings.Mode.FRIENDS, List.of("uuid-a", "uuid-b"));
        KakaoApi.FriendsResult result = new KakaoApi(friends)
                .sendToFriends(FAKE.issueAccessToken(), friends.receiverUuids(), TEXT, null);
        assertThat(result.successful()).containsExactly("uuid-a", "uuid-b");
        assertThat(result.failed()).isEmpty();
        assertThat(FAKE.sent()).anySatisfy(s -> {
            assertThat(s.path()).isEqualTo(KakaoApi.FRIENDS_PATH);
            assertThat(s.receivers()).containsExactly("uuid-a", "uuid-b");
        });
        assertThat(KakaoNotifierType.dailyMessages(friends)).as("100 per day over 2 receivers, 20 per pair").isEqualTo(20);
        assertThat(KakaoNotifierType.dailyMessages(memo)).isEqualTo(100);
    }

    @Test
    void refreshRotateAndDieLikeKakao() {
        FAKE.rotateWhenLeft(Duration.ofDays(61));
        try {
            String refresh = FAKE.issueRefreshToken(Duration.ofDays(60));
            KakaoTokenResponse rotated = auth.refresh(refresh);
            assertThat(rotated.rotated()).isTrue();
            assertThat(rotated.toString()).doesNotContain(rotated.accessToken()).doesNotContain(rotated.refreshToken());
            KakaoException dead = failure(() -> auth.refresh(refresh));
            assertThat(dead.kind()).isEqualTo(KakaoException.Kind.DEAD_REFRESH_TOKEN);
            assertThat(dead.errorCode()).isEqualTo("KOE322");
            assertThat(auth.refresh(rotated.refreshToken()).accessToken()).isNotBlank();
        } finally {
            FAKE.rotateWhenLeft(Duration.ofDays(30));
        }
        KakaoAuthApi wrongSecret = new KakaoAuthApi(settings("wrong", KakaoSettings.Mode.MEMO, List.of()));
        KakaoException rejected = failure(() -> wrongSecret.refresh(FAKE.issueRefreshToken(Duration.ofDays(60))));
        assertThat(rejected.kind()).isEqualTo(KakaoException.Kind.PERMANENT);
        assertThat(rejected.errorCode()).isEqualTo("KOE010");
    }

    @Test
    void anUnreachableKakaoIsTransientAndNamesNoSecret() {
        KakaoSettings nowhere = new KakaoSettings(KEY, SECRET, null, KakaoSettings.Mode.MEMO, List.of(), null, List.of(),
                URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:1"), null, 100, 0.8,
                Duration.ofMinutes(15), null, Duration.ofSeconds(1), Duration.ofSeconds(1));
        KakaoException down = failure(() -> new KakaoAuthApi(nowhere).refresh("refresh-secret-value"));
        assertThat(down.kind()).isEqualTo(KakaoException.Kind.TRANSIENT);
        assertThat(down.getMessage()).doesNotContain("refresh-secret-value").doesNotContain(KEY).doesNotContain(SECRET);
    }

    private static KakaoException failure(Runnable call) {
        KakaoException e = catchThrowableOfType(KakaoException.class, call::run);
        assertThat(e).as("expected a KakaoException").isNotNull();
        return e;
    }
}
