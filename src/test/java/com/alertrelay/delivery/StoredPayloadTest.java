package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import com.alertrelay.testsupport.Payloads;

class StoredPayloadTest {

    @Test
    void aPayloadComesBackExactlyAsItWentIn() {
        String json = Payloads.group("firing", "디스크 부족 🔥", "{}:{alertname=\"x\"}", "critical", 300);

        assertThat(StoredPayload.inflate(StoredPayload.deflate(json))).isEqualTo(json);
        assertThat(StoredPayload.inflate(StoredPayload.deflate(""))).isEmpty();
    }

    @Test
    void aTenAlertGroupTakesAFractionOfItsTextSize() {
        String json = Payloads.group("firing", "HighErrorRate", "{}:{alertname=\"HighErrorRate\"}", "critical", 10);

        assertThat(StoredPayload.deflate(json).length)
                .isLessThan(json.getBytes(StandardCharsets.UTF_8).length / 4);
    }

    @Test
    void aDamagedPayloadFailsLoudlyInsteadOfDeliveringGarbage() {
        byte[] stored = StoredPayload.deflate(Payloads.firing("{}:{a=\"b\"}"));

        assertThatThrownBy(() -> StoredPayload.inflate(Arrays.copyOf(stored, stored.length / 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("truncated");
        byte[] garbage = stored.clone();
        garbage[0] = (byte) 0xff;
        assertThatThrownBy(() -> StoredPayload.inflate(garbage)).isInstanceOf(IllegalStateException.class);
    }
}
