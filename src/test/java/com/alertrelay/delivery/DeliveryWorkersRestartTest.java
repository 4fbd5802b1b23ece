package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RecordingNotifierType;
import com.alertrelay.testsupport.RecordingNotifierType.Recorder;
import com.alertrelay.testsupport.RelayClient;

/** A context that is stopped and started again (as Spring's test-context pausing does) delivers again. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.channels.restarted.type=recording",
        "relay.routes.default.channels=restarted"})
class DeliveryWorkersRestartTest {

    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void workersStoppedAndStartedAgainDeliver() {
        Recorder restarted = RecordingNotifierType.channel("restarted");
        restarted.reset();
        context.stop();
        context.start();

        String group = "{}:{alertname=\"Restarted-" + UUID.randomUUID() + "\"}";
        int portNow = ((WebServerApplicationContext) context).getWebServer().getPort(); // a new random port
        new RelayClient(portNow).postOk("/webhook", Payloads.firing(group));

        await().atMost(Duration.ofSeconds(10)).until(() -> restarted.delivered().stream()
                .anyMatch(n -> n.group().groupKey().equals(group)));
        assertThat(restarted.delivered()).filteredOn(n -> n.group().groupKey().equals(group)).hasSize(1);
    }
}
