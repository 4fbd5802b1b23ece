package com.alertrelay.http;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.util.StringUtils;

/**
 * The RFC 9457 problems every part of the service answers the same way, whichever exception handler (the
 * relay's, the order service's, or {@link BodyLimitFilter} before any handler) produces them: a body over its
 * limit (413). Types are {@code https://alert-relay.dev/problems/<type>}.
 */
public final class Problems {

    public static final String TYPE_BASE = "https://alert-relay.dev/problems/";

    private Problems() {
    }

    public static ProblemDetail problem(HttpStatus status, String type, String title, String detail, String path) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create(TYPE_BASE + type));
        if (StringUtils.hasLength(path)) {
            problem.setInstance(URI.create(path));
        }
        return problem;
    }

    /** 413 naming the limit and the property that sets it; also as {@code maxBodySize} (bytes) and {@code property}. */
    public static ProblemDetail tooLarge(BodyTooLargeException ex, String path) {
        ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Payload too large", ex.getMessage(),
                path);
        problem.setProperty("maxBodySize", ex.limit());
        problem.setProperty("property", ex.property());
        return problem;
    }

    /** The problem as the JSON object Spring MVC writes for a {@link ProblemDetail}, for writers outside MVC. */
    static Map<String, Object> toJson(ProblemDetail problem) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", String.valueOf(problem.getType()));
        json.put("title", problem.getTitle());
        json.put("status", problem.getStatus());
        json.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            json.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            json.putAll(problem.getProperties());
        }
        return json;
    }
}
