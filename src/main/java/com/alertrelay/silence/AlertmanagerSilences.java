package com.alertrelay.silence;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.alertrelay.reconcile.AlertmanagerHttp;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Alertmanager's silences, API v2, at the Alertmanagers of {@code relay.alertmanager.urls} with their credentials
 * and timeout ({@link AlertmanagerHttp}).
 *
 * <p>An HA pair gossips silences, so a silence is created at, or expired through, <b>one</b> Alertmanager: the
 * configured ones are tried in order until one has done it. What happens at each:
 * <ul>
 * <li>200: done, the rest are not asked.</li>
 * <li>Connection refused, no complete answer within the timeout, 5xx, 408, 429, a 200 without what it should carry:
 * the next is tried.</li>
 * <li>Any other 4xx: Alertmanager refuses the request itself (an invalid matcher, an end before the start, a proxy
 * that does not take the credentials); another would refuse it alike, so none is tried:
 * {@link SilenceRefusedException} with Alertmanager's own error text.</li>
 * <li>When expiring, "not found" (404; Alertmanager 0.25 answers 500 {@code "silence not found"}): the next is
 * tried, since gossip may not have brought the silence there yet.</li>
 * </ul>
 * When none has done it: {@link SilencesUnavailableException} saying per Alertmanager what happened, or
 * {@link SilenceNotFoundException} if every one answered that it does not have the silence. No message ever holds a
 * credential. Each request is bounded by {@code relay.alertmanager.timeout}, so a call takes at most that times the
 * number of Alertmanagers.
 *
 * <p>If an Alertmanager takes a silence but its answer does not arrive in time, the next one is asked and there may
 * be two silences with the same matchers and end; both end on their own, and {@link #active()} lists both.
 */
@Component
public class AlertmanagerSilences {

    private static final Logger log = LoggerFactory.getLogger(AlertmanagerSilences.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Alertmanager's error texts are short; a proxy's HTML page is cut to this many characters in messages. */
    private static final int REASON_MAX = 300;

    private final AlertmanagerHttp alertmanagers;

    public AlertmanagerSilences(AlertmanagerHttp alertmanagers) {
        this.alertmanagers = alertmanagers;
    }

    /** Whether any Alertmanager is configured; without one every call fails with {@link SilencesUnavailableException}. */
    public boolean configured() {
        return !alertmanagers.urls().isEmpty();
    }

    /**
     * {@code POST /api/v2/silences}: creates a silence at the first Alertmanager that takes it.
     *
     * @param matchers  what it silences (see {@link Matcher#forGroup} for one notification group)
     * @param startsAt  from when; now or earlier for at once
     * @param endsAt    until when
     * @param createdBy who asked for it, e.g. the Telegram user
     * @param comment   why
     * @return the silence with Alertmanager's id and the Alertmanager that took it
     * @throws SilenceRefusedException       an Alertmanager refused it (4xx), with its error text
     * @throws SilencesUnavailableException  no Alertmanager took it
     */
    public Silence create(List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment) {
        List<Matcher> silenced = List.copyOf(Objects.requireNonNull(matchers, "matchers"));
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(endsAt, "endsAt");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(comment, "comment");
        String described = silenced.stream().map(Matcher::toString).collect(Collectors.joining(", ", "{", "}"));
        String action = "create the silence " + described;
        String body = JSON.writeValueAsString(postable(silenced, startsAt, endsAt, createdBy, comment));
        List<String> failures = new ArrayList<>();
        try {
            for (URI url : alertmanagers.urls()) {
                String shown = AlertmanagerHttp.shown(url);
                HttpResponse<String> response = exchange(url, alertmanagers.request(url, "/api/v2/silences")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), failures);
                if (response == null) {
                    continue;
                }
                int status = response.statusCode();
                if (status == 200) {
                    String id = silenceId(response.body());
                    if (id != null) {
                        log.info("Silence {} created at {}: {} until {} by {}{}", id, shown, described,
                                endsAt, createdBy, failures.isEmpty() ? "" : " (before: " + String.join("; ", failures) + ")");
                        return new Silence(id, silenced, startsAt, endsAt, createdBy, comment, shown);
                    }
                    failures.add(shown + " → HTTP 200 without a silenceID: " + reason(response.body()));
                } else if (refusal(status)) {
                    throw new SilenceRefusedException(action, shown, status, reason(response.body()));
                } else {
                    failures.add(shown + " → " + httpFailure(response));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted");
        }
        throw new SilencesUnavailableException(action, failures);
    }

    /**
     * {@code DELETE /api/v2/silence/{id}}: expires the silence through the first Alertmanager that has it. Expiring
     * an expired silence succeeds.
     *
     * @throws SilenceNotFoundException      every Alertmanager answered that it does not have it
     * @throws SilenceRefusedException       an Alertmanager refused the request (4xx, e.g. an id that is no UUID)
     * @throws SilencesUnavailableException  none expired it, and not every one answered "not found"
     */
    public void expire(String silenceId) {
        Objects.requireNonNull(silenceId, "silenceId");
        if (silenceId.isBlank()) {
            throw new IllegalArgumentException("silenceId is blank");
        }
        String action = "expire silence " + silenceId;
        String path = "/api/v2/silence/" + URLEncoder.encode(silenceId, StandardCharsets.UTF_8).replace("+", "%20");
        List<String> failures = new ArrayList<>();
        boolean onlyNotFound = true;
        try {
            for (URI url : alertmanagers.urls()) {
                String shown = AlertmanagerHttp.shown(url);
                HttpResponse<String> response = exchange(url, alertmanagers.request(url, path).DELETE().build(),
                        failures);
                if (response == null) {
                    onlyNotFound = false;
                    continue;
                }
                int status = response.statusCode();
                if (status == 200) {
                    log.info("Silence {} expired at {}{}", silenceId, shown,
                            failures.isEmpty() ? "" : " (before: " + String.join("; ", failures) + ")");
                    return;
                }
                if (status == 404 || (status == 500 && reason(response.body()).equals("silence not found"))) {
                    failures.add(shown + " → not found (" + httpFailure(response) + ")");
                } else if (refusal(status)) {
                    throw new SilenceRefusedException(action, shown, status, reason(response.body()));
                } else {
                    onlyNotFound = false;
                    failures.add(shown + " → " + httpFailure(response));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted");
            onlyNotFound = false;
        }
        if (onlyNotFound && !failures.isEmpty()) {
            throw new SilenceNotFoundException(silenceId, failures);
        }
        throw new SilencesUnavailableException(action, failures);
    }

    /**
     * {@code GET /api/v2/alerts?active=true&silenced=false&inhibited=false} at the first Alertmanager that answers (an
     * HA pair holds the same alerts): the labels of every alert firing now that nothing holds back.
     *
     * @throws SilencesUnavailableException no Alertmanager answered
     */
    public List<Map<String, String>> firing() {
        List<String> failures = new ArrayList<>();
        try {
            for (URI url : alertmanagers.urls()) {
                HttpResponse<String> response = exchange(url, alertmanagers.request(url,
                        "/api/v2/alerts?active=true&silenced=false&inhibited=false").GET().build(), failures);
                if (response == null) {
                    continue;
                }
                if (response.statusCode() != 200) {
                    failures.add(AlertmanagerHttp.shown(url) + " → " + httpFailure(response));
                    continue;
                }
                try {
                    List<Map<String, String>> firing = new ArrayList<>();
                    for (var alert : JSON.readTree(response.body())) {
                        Map<String, String> labels = new java.util.TreeMap<>();
                        alert.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
                        firing.add(labels);
                    }
                    return firing;
                } catch (JacksonException e) {
                    failures.add(AlertmanagerHttp.shown(url) + " → HTTP 200 but not a list of alerts");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted");
        }
        throw new SilencesUnavailableException("list the firing alerts", failures);
    }

    /**
     * {@code GET /api/v2/silences} at every Alertmanager: the silences in state {@code active}, merged by id (where
     * two report the same silence differently, as while an expiry is still being gossiped, the more recently
     * updated one counts), ordered by end. An Alertmanager that cannot be asked is left out, with a warning in the
     * log, as long as one answered.
     *
     * @throws SilencesUnavailableException none answered with a list of silences
     */
    public List<Silence> active() {
        String action = "list the silences";
        Map<String, Listed> byId = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        int answered = 0;
        try {
            for (URI url : alertmanagers.urls()) {
                String shown = AlertmanagerHttp.shown(url);
                HttpResponse<String> response = exchange(url,
                        alertmanagers.request(url, "/api/v2/silences").GET().build(), failures);
                if (response == null) {
                    continue;
                }
                if (response.statusCode() != 200) {
                    failures.add(shown + " → " + httpFailure(response));
                    continue;
                }
                List<Listed> listed;
                try {
                    listed = parse(response.body(), shown);
                } catch (JacksonException | IllegalArgumentException | DateTimeParseException e) {
                    failures.add(shown + " → HTTP 200 but not a list of silences: " + alertmanagers.masked(
                            e instanceof JacksonException ? "not JSON" : String.valueOf(e.getMessage())));
                    continue;
                }
                answered++;
                for (Listed silence : listed) {
                    byId.merge(silence.silence().id(), silence, Listed::newer);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted");
            throw new SilencesUnavailableException(action, failures);
        }
        if (answered == 0) {
            throw new SilencesUnavailableException(action, failures);
        }
        if (!failures.isEmpty()) {
            log.warn("Active silences listed without {}", String.join("; ", failures));
        }
        return byId.values().stream().filter(l -> "active".equals(l.state())).map(Listed::silence)
                .sorted(Comparator.comparing(Silence::endsAt).thenComparing(Silence::id))
                .toList();
    }

    /** A silence as one Alertmanager listed it. */
    private record Listed(Silence silence, String state, Instant updatedAt) {

        static Listed newer(Listed first, Listed second) {
            if (first.updatedAt() == null || second.updatedAt() == null) {
                return first;
            }
            return second.updatedAt().isAfter(first.updatedAt()) ? second : first;
        }
    }

    /**
     * Sends {@code request}; on a transport failure or timeout adds {@code <url> → why} to {@code failures} and
     * returns null.
     */
    private HttpResponse<String> exchange(URI url, HttpRequest request, List<String> failures)
            throws InterruptedException {
        try {
            return alertmanagers.send(request);
        } catch (IOException e) {
            failures.add(AlertmanagerHttp.shown(url) + " → " + alertmanagers.describe(e));
            return null;
        }
    }

    /** A 4xx that is Alertmanager's answer to this request, not a "later" (408 Request Timeout, 429 Too Many Requests). */
    private static boolean refusal(int status) {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }

    private String httpFailure(HttpResponse<String> response) {
        String reason = reason(response.body());
        return "HTTP " + response.statusCode() + (reason.isEmpty() ? "" : ": " + reason);
    }

    /**
     * Alertmanager's error text from an answer body: API v2 sends a JSON string ({@code "silence invalid: …"}) or
     * an object with {@code message} (a request its schema rejects); anything else (a proxy's page) as it is, on one
     * line and cut short. Credentials masked.
     */
    private String reason(String body) {
        String text = body == null ? "" : body.strip();
        if (!text.isEmpty()) {
            try {
                JsonNode json = JSON.readTree(text);
                if (json.isString()) {
                    text = json.asString();
                } else if (json.isObject() && json.get("message") != null && json.get("message").isString()) {
                    text = json.get("message").asString();
                }
            } catch (JacksonException notJson) {
                // a proxy's answer: shown as it is
            }
        }
        text = text.replaceAll("\\s+", " ").strip();
        if (text.length() > REASON_MAX) {
            text = text.substring(0, REASON_MAX) + "…";
        }
        return alertmanagers.masked(text);
    }

    private static String silenceId(String body) {
        try {
            JsonNode id = JSON.readTree(body).get("silenceID");
            return id != null && id.isString() && !id.asString().isBlank() ? id.asString() : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The body of {@code POST /api/v2/silences} (a "postableSilence"): times in RFC 3339, UTC. */
    private static Map<String, Object> postable(List<Matcher> matchers, Instant startsAt, Instant endsAt,
            String createdBy, String comment) {
        Map<String, Object> silence = new LinkedHashMap<>();
        silence.put("matchers", matchers.stream().map(m -> {
            Map<String, Object> matcher = new LinkedHashMap<>();
            matcher.put("name", m.name());
            matcher.put("value", m.value());
            matcher.put("isRegex", m.isRegex());
            matcher.put("isEqual", m.isEqual());
            return matcher;
        }).toList());
        silence.put("startsAt", startsAt.toString());
        silence.put("endsAt", endsAt.toString());
        silence.put("createdBy", createdBy);
        silence.put("comment", comment);
        return silence;
    }

    /** A {@code gettableSilences} answer. */
    private static List<Listed> parse(String body, String alertmanager) {
        JsonNode list = JSON.readTree(body);
        if (!list.isArray()) {
            throw new IllegalArgumentException("the answer is no JSON array");
        }
        List<Listed> silences = new ArrayList<>();
        for (JsonNode node : list) {
            List<Matcher> matchers = new ArrayList<>();
            for (JsonNode matcher : node.path("matchers")) {
                JsonNode isEqual = matcher.get("isEqual"); // before Alertmanager 0.22 there is none: equal
                matchers.add(new Matcher(text(matcher, "name"), text(matcher, "value"),
                        matcher.path("isRegex").asBoolean(false), isEqual == null || isEqual.asBoolean(true)));
            }
            Silence silence = new Silence(text(node, "id"), matchers, time(node, "startsAt"), time(node, "endsAt"),
                    optionalText(node, "createdBy"), optionalText(node, "comment"), alertmanager);
            String updatedAt = optionalText(node, "updatedAt");
            silences.add(new Listed(silence, optionalText(node.path("status"), "state"),
                    updatedAt.isEmpty() ? null : rfc3339(updatedAt)));
        }
        return silences;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException("a silence without " + field);
        }
        return value.asString();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.asString() : "";
    }

    private static Instant time(JsonNode node, String field) {
        return rfc3339(text(node, field));
    }

    /** RFC 3339 as Alertmanager writes it: {@code 2026-12-04T21:19:17.922Z}, or with an offset. */
    static Instant rfc3339(String text) {
        return OffsetDateTime.parse(text).toInstant();
    }
}
