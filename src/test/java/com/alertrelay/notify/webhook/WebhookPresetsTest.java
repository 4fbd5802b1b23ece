package com.alertrelay.notify.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.notify.InMemoryChannelState;
import com.alertrelay.notify.Notifier;

import tools.jackson.databind.JsonNode;

/**
 * Every preset posted to a local receiver: the JSON shape the service documents, and a summary full of what breaks
 * JSON and chat markup ({@code "}, {@code \}, line breaks, a control character, Korean, an emoji) arriving intact.
 */
class WebhookPresetsTest {

    private static final FakeWebhookReceiver RECEIVER = FakeWebhookReceiver.start();
    private static final String SUMMARY = "디스크 \"/data\" 가득 참 \\ 100%\n다음 줄 🔥";
    private static final AlertNotification NOTIFICATION = WebhookNotifierTest.notification(SUMMARY);

    @AfterAll
    static void stop() {
        RECEIVER.close();
    }

    private static JsonNode post(String preset) {
        String path = "/" + preset;
        Map<String, String> settings = new HashMap<>(Map.of("url", RECEIVER.url(path), "preset", preset));
        Notifier notifier = new WebhookNotifierType(Clock.systemUTC())
                .create(new TestChannel("hook", settings, new InMemoryChannelState()));
        AlertNotification withNote = new AlertNotification(NOTIFICATION.id(), NOTIFICATION.route(),
                NOTIFICATION.acceptedAt(), NOTIFICATION.group(), "sent here instead");

        assertThat(notifier.deliver(withNote)).isEqualTo(DeliveryResult.delivered());
        FakeWebhookReceiver.Request request = RECEIVER.requests(path).get(0);
        assertThat(request.body()).as("Korean as UTF-8").contains("디스크");
        return request.json();
    }

    @Test
    void slackGetsMrkdwnText() {
        String text = post("slack").path("text").asString();

        assertThat(text).startsWith("🔥 *[firing] DiskFull* · critical · 1 alert(s)\n_sent here instead_\n• 🔥 alertname=DiskFull, severity=critical — ")
                .endsWith(SUMMARY);
    }

    @Test
    void discordGetsContentAndNoMentions() {
        JsonNode body = post("discord");

        assertThat(body.path("content").asString()).startsWith("🔥 **[firing] DiskFull**").endsWith(SUMMARY);
        assertThat(body.path("allowed_mentions").path("parse").isArray()).isTrue();
        assertThat(body.path("allowed_mentions").path("parse")).isEmpty();
    }

    @Test
    void teamsGetsAnAdaptiveCard() {
        JsonNode attachment = post("teams").path("attachments").get(0);

        assertThat(attachment.path("contentType").asString()).isEqualTo("application/vnd.microsoft.card.adaptive");
        JsonNode card = attachment.path("content");
        assertThat(card.path("type").asString()).isEqualTo("AdaptiveCard");
        assertThat(card.path("body").get(0).path("text").asString()).isEqualTo("🔥 [firing] DiskFull · critical");
        assertThat(card.path("body").get(1).path("text").asString()).isEqualTo("sent here instead");
        assertThat(card.path("body").get(2).path("text").asString()).endsWith(SUMMARY);
    }

    @Test
    void doorayGetsTextAndOneAttachmentPerAlert() {
        JsonNode body = post("dooray");

        assertThat(body.path("botName").asString()).isEqualTo("Alert Relay");
        assertThat(body.path("text").asString()).isEqualTo("🔥 [firing] DiskFull · critical\nsent here instead");
        assertThat(body.path("attachments")).hasSize(1);
        assertThat(body.path("attachments").get(0).path("text").asString()).isEqualTo(SUMMARY + "\n설명");
    }

    @Test
    void jandiGetsItsVersionedMediaTypeAndConnectInfo() {
        JsonNode body = post("jandi");

        assertThat(RECEIVER.requests("/jandi").get(0).header("Accept")).isEqualTo("application/vnd.tosslab.jandi-v2+json");
        assertThat(body.path("body").asString()).startsWith("🔥 [firing] DiskFull");
        assertThat(body.path("connectInfo").get(0).path("description").asString()).isEqualTo(SUMMARY + "\n설명");
    }

    @Test
    void naverWorksGetsABotTextMessage() {
        JsonNode content = post("naverworks").path("content");

        assertThat(content.path("type").asString()).isEqualTo("text");
        assertThat(content.path("text").asString()).startsWith("🔥 [firing] DiskFull · critical\nsent here instead\n• ").endsWith(SUMMARY);
    }
}
