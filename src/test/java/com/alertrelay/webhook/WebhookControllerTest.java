package com.alertrelay.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import com.alertrelay.auth.RelaySecurity;
import com.alertrelay.testsupport.SimpleMetrics;
import com.alertrelay.delivery.AcceptedNotification;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.RenderedMessage;
import com.alertrelay.testsupport.Fixtures;

import io.micrometer.core.instrument.MeterRegistry;

/** The webhook's HTTP contract as Alertmanager and curl see it, with the store mocked away. */
@WebMvcTest(controllers = WebhookController.class, properties = {
        "relay.webhook.bearer-token=test-token",
        "relay.webhook.username=alertmanager",
        "relay.webhook.password=pw",
        "relay.webhook.max-body-size=8KB"})
@Import({SimpleMetrics.class, RelaySecurity.class})
class WebhookControllerTest {

    private static final String BEARER = "Bearer test-token";
    private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;
    private static final String FIRING = Fixtures.body("alertmanager-0.25/firing-single.json");


    @Autowired
    MockMvc mvc;

    @Autowired
    MeterRegistry metrics;

    @MockitoBean
    NotificationIntake intake;

    private ResultActions postWebhook(String path, String body) throws Exception {
        return mvc.perform(webhook(path, body));
    }

    private static MockHttpServletRequestBuilder webhook(String path, String body) {
        return post(path).header("Authorization", BEARER).contentType(MediaType.APPLICATION_JSON).content(body);
    }

    private double rejected(String reason) {
        var counter = metrics.find("relay.webhook.rejected").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void answersWithTheStoredNotificationOnceAccepted() throws Exception {
        given(intake.accept(eq("default"), any())).willReturn(new AcceptedNotification(42, List.of("log", "tg"), false));

        postWebhook("/webhook", FIRING)
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.notificationId").value(42))
                .andExpect(jsonPath("$.deliveries").value(2))
                .andExpect(jsonPath("$.duplicate").value(false));
    }

    @Test
    void aNamedRouteIsPassedOnAndADuplicateIsAnsweredWith200() throws Exception {
        given(intake.accept(eq("critical"), any())).willReturn(new AcceptedNotification(7, List.of(), true));

        postWebhook("/webhook/critical", FIRING)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.notificationId").value(7))
                .andExpect(jsonPath("$.deliveries").value(0))
                .andExpect(jsonPath("$.duplicate").value(true));
    }

    @Test
    void bothAlertmanager025And034PayloadsAreAccepted() throws Exception {
        given(intake.accept(eq("default"), any())).willReturn(new AcceptedNotification(1, List.of("log"), false));

        for (String fixture : List.of("alertmanager-0.25/firing-single.json", "alertmanager-0.25/resolved-single.json",
                "alertmanager-0.25/firing-group.json", "alertmanager-0.25/firing-truncated.json",
                "alertmanager-0.34/firing-single.json", "alertmanager-0.34/resolved-single.json")) {
            postWebhook("/webhook", Fixtures.body(fixture)).andExpect(status().isOk());
        }
    }

    @Test
    void aMissingStatusIsA400NamingTheField() throws Exception {
        postWebhook("/webhook", FIRING.replace("\"status\":\"firing\",\"alerts\"", "\"alerts\""))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(PROBLEM))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.detail").value("status: must not be null"))
                .andExpect(jsonPath("$.errors[0].field").value("status"));
        verifyNoInteractions(intake);
    }

    @Test
    void missingOrEmptyAlertsAreA400NamingTheField() throws Exception {
        postWebhook("/webhook", "{\"status\":\"firing\",\"version\":\"4\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("alerts"));
        postWebhook("/webhook", "{\"status\":\"firing\",\"version\":\"4\",\"alerts\":[]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("alerts"));
        verifyNoInteractions(intake);
    }

    @Test
    void aBadTimestampIsA400NamingTheAlertAndField() throws Exception {
        postWebhook("/webhook", FIRING.replace("2026-11-25T17:00:00.123456789+09:00", "25/11/2026 17:00"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(PROBLEM))
                .andExpect(jsonPath("$.field").value("alerts[0].startsAt"))
                .andExpect(jsonPath("$.detail").value("alerts[0].startsAt: not an RFC 3339 timestamp: \"25/11/2026 17:00\""));
        verifyNoInteractions(intake);
    }

    @Test
    void aVersionOtherThan4IsA400() throws Exception {
        postWebhook("/webhook", FIRING.replace("\"version\":\"4\"", "\"version\":\"3\""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("version"))
                .andExpect(jsonPath("$.detail").value("version: must be \"4\" (Alertmanager webhook payload version 4)"));
        postWebhook("/webhook", FIRING.replace(",\"version\":\"4\"", ""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("version"));
        verifyNoInteractions(intake);
    }

    @Test
    void anInvalidAlertStatusNamesTheAlert() throws Exception {
        postWebhook("/webhook", FIRING.replace("\"alerts\":[{\"status\":\"firing\"", "\"alerts\":[{\"status\":\"burning\""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("alerts[0].status"));
    }

    @Test
    void malformedJsonIsA400WithWhereItBroke() throws Exception {
        postWebhook("/webhook", "{\"status\": \"firing\", ")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(PROBLEM))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("Malformed JSON at line 1")));
        postWebhook("/webhook", "")
                .andExpect(status().isBadRequest());
        assertThat(rejected("malformed")).isGreaterThanOrEqualTo(2);
        verifyNoInteractions(intake);
    }

    @Test
    void aNonJsonContentTypeIs415() throws Exception {
        double before = rejected("unsupported_media_type");
        mvc.perform(post("/webhook").header("Authorization", BEARER).contentType(MediaType.TEXT_PLAIN).content(FIRING))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentType(PROBLEM))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith(
                        "Content-Type must be application/json, was text/plain")));
        assertThat(rejected("unsupported_media_type")).isEqualTo(before + 1);
        verifyNoInteractions(intake);
    }

    @Test
    void anUnknownRouteIs404() throws Exception {
        given(intake.accept(eq("nope"), any())).willThrow(new UnknownRouteException("nope"));
        double before = rejected("unknown_route");

        postWebhook("/webhook/nope", FIRING)
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(PROBLEM))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("relay.routes.nope.channels")));
        assertThat(rejected("unknown_route")).isEqualTo(before + 1);
    }

    @Test
    void aBodyOverTheLimitIs413WhetherDeclaredOrNot() throws Exception {
        String big = FIRING.replace("주문 서비스 오류율이 높습니다", "x".repeat(9 * 1024));

        mvc.perform(webhook("/webhook", big).header("Content-Length", big.length()))
                .andExpect(status().isContentTooLarge())
                .andExpect(content().contentType(PROBLEM))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("relay.webhook.max-body-size")));
        postWebhook("/webhook", big).andExpect(status().isContentTooLarge());
        verifyNoInteractions(intake);
    }

    @Test
    void aStoreThatCannotTakeTheNotificationIs503SoAlertmanagerRetries() throws Exception {
        given(intake.accept(any(), any())).willThrow(new DataAccessResourceFailureException("connection refused"));
        double before = rejected("store_unavailable");

        postWebhook("/webhook", FIRING)
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentType(PROBLEM))
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(jsonPath("$.detail").value("The notification could not be stored; retry later"));
        assertThat(rejected("store_unavailable")).isEqualTo(before + 1);
    }

    @Test
    void withoutCredentialsItIs401AndTheBodyIsNotRead() throws Exception {
        double before = rejected("unauthorized");
        mvc.perform(post("/webhook").contentType(MediaType.APPLICATION_JSON).content(FIRING))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(PROBLEM))
                .andExpect(header().stringValues("WWW-Authenticate",
                        "Bearer realm=\"alert-relay\"", "Basic realm=\"alert-relay\", charset=\"UTF-8\""));
        mvc.perform(post("/webhook").header("Authorization", "Bearer wrong").contentType(MediaType.APPLICATION_JSON)
                        .content("not even json"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("Wrong credentials for the webhook"));
        assertThat(rejected("unauthorized")).isEqualTo(before + 2);
        verifyNoInteractions(intake);
    }

    @Test
    void basicCredentialsAsAlertmanagerSendsThemAreAccepted() throws Exception {
        given(intake.accept(any(), any())).willReturn(new AcceptedNotification(1, List.of("log"), false));

        mvc.perform(post("/webhook").header("Authorization", "Basic YWxlcnRtYW5hZ2VyOnB3")
                        .contentType(MediaType.APPLICATION_JSON).content(FIRING))
                .andExpect(status().isOk());
        mvc.perform(post("/webhook").header("Authorization", "Basic YWxlcnRtYW5hZ2VyOnB4")
                        .contentType(MediaType.APPLICATION_JSON).content(FIRING))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void dryRunRendersAndNeverStores() throws Exception {
        given(intake.preview(eq("critical"), any(AlertGroup.class))).willReturn(new NotificationPreview("critical", true,
                List.of(new NotificationPreview.ChannelPreview("log", "log", List.of(new RenderedMessage("text", "x")))),
                List.of()));

        postWebhook("/webhook/critical?dry-run=true", FIRING)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.dryRun").value(true))
                .andExpect(jsonPath("$.channels[0].messages[0].body").value("x"));
        verify(intake, never()).accept(any(), any());
    }

    @Test
    void neverAnswers429() throws Exception {
        given(intake.accept(any(), any())).willThrow(new org.springframework.dao.CannotAcquireLockException("busy"));

        postWebhook("/webhook", FIRING).andExpect(status().isServiceUnavailable());
    }
}
