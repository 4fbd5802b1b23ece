package com.alertrelay.notify.kakao;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.time.Instant;

import com.alertrelay.notify.HttpStatusPolicy;

import tools.jackson.databind.JsonNode;

/**
 * Kakao's message API ({@code kapi}): "send to me" ({@code /v2/api/talk/memo/default/send}) and "send to
 * friends" ({@code /v1/api/talk/friends/message/default/send}, at most 5 receivers per call). Errors
 * ({@code {"code":…,"msg":…}}) become a classified {@link KakaoException}.
 */
final class KakaoApi {

    static final String MEMO_PATH = "/v2/api/talk/memo/default/send";
    static final String FRIENDS_PATH = "/v1/api/talk/friends/message/default/send";

    /** What a friends send answered: receivers that got it, and the first failure of the others. */
    record FriendsResult(List<String> successful, List<String> failed, KakaoException firstFailure) {
    }

    private final KakaoHttp http;

    KakaoApi(KakaoSettings settings) {
        this.http = new KakaoHttp(settings, settings.apiUrl(), "Kakao API");
    }

    boolean fitsBefore(Instant deadline) {
        return http.fitsBefore(deadline);
    }

    /** Sends {@code templateObject} (JSON) to the token owner's own chat, giving up at {@code deadline}. */
    void sendToMe(String accessToken, String templateObject, Instant deadline) {
        KakaoHttp.Answer answer = http.postForm(MEMO_PATH, Map.of("template_object", templateObject), accessToken, deadline);
        if (!answer.ok()) {
            throw error(answer);
        }
    }

    /** Sends to up to 5 friends at once; partial failures are reported, a total failure throws. */
    FriendsResult sendToFriends(String accessToken, List<String> receiverUuids, String templateObject, Instant deadline) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("receiver_uuids", KakaoHttp.JSON.writeValueAsString(receiverUuids));
        form.put("template_object", templateObject);
        KakaoHttp.Answer answer = http.postForm(FRIENDS_PATH, form, accessToken, deadline);
        if (!answer.ok()) {
            throw error(answer);
        }
        List<String> successful = strings(answer.body().get("successful_receiver_uuids"));
        List<String> failed = new ArrayList<>();
        KakaoException first = null;
        JsonNode failures = answer.body().get("failure_info");
        if (failures != null && failures.isArray()) {
            for (JsonNode failure : failures) {
                failed.addAll(strings(failure.get("receiver_uuids")));
                if (first == null) {
                    first = classify(answer.status(), failure.path("code").asInt(0), failure.path("msg").asString(""));
                }
            }
        }
        if (successful.isEmpty() && first != null) {
            throw first;
        }
        return new FriendsResult(successful, failed, first);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(node -> values.add(node.asString()));
        }
        return values;
    }

    private static KakaoException error(KakaoHttp.Answer answer) {
        JsonNode code = answer.body().get("code");
        return classify(answer.status(), code == null ? 0 : code.asInt(0), answer.text("msg"));
    }

    static KakaoException classify(int httpStatus, int code, String msg) {
        String detail = "Kakao API " + (code != 0 ? "error " + code : "HTTP " + httpStatus)
                + (msg == null || msg.isBlank() ? "" : ": " + msg);
        String errorCode = code != 0 ? String.valueOf(code) : "http-" + httpStatus;
        KakaoException.Kind kind = switch (code) {
            case -401 -> KakaoException.Kind.EXPIRED_ACCESS_TOKEN;
            case -10, -531 -> KakaoException.Kind.QUOTA;
            case -1, -9798, -7, -603 -> KakaoException.Kind.TRANSIENT;
            case 0 -> httpStatus == 401 ? KakaoException.Kind.EXPIRED_ACCESS_TOKEN
                    : HttpStatusPolicy.retryable(httpStatus) ? KakaoException.Kind.TRANSIENT : KakaoException.Kind.PERMANENT;
            default -> httpStatus >= 500 ? KakaoException.Kind.TRANSIENT : KakaoException.Kind.PERMANENT;
        };
        return new KakaoException(kind, errorCode, detail);
    }
}
