package com.alertrelay.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.alertrelay.store.StoreDialect;

/** The durable per-channel state notifiers get, on the real store; two instances act as two replicas. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class JdbcChannelStateTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StoreDialect dialect;

    private final String channel = "state-" + UUID.randomUUID();

    @Test
    void putOverwritesAndIsScopedToItsChannel() {
        JdbcChannelState state = new JdbcChannelState(jdbc, dialect, Clock.systemUTC(), channel);
        JdbcChannelState other = new JdbcChannelState(jdbc, dialect, Clock.systemUTC(), channel + "-other");

        state.put("msg:1", "100");
        state.put("msg:1", "101");

        assertThat(state.get("msg:1")).hasValue("101");
        assertThat(other.get("msg:1")).isEmpty();
        state.remove("msg:1");
        assertThat(state.get("msg:1")).isEmpty();
    }

    @Test
    void compareAndSetLetsOnlyOneReplicaWin() {
        JdbcChannelState replicaA = new JdbcChannelState(jdbc, dialect, Clock.systemUTC(), channel);
        JdbcChannelState replicaB = new JdbcChannelState(jdbc, dialect, Clock.systemUTC(), channel);

        assertThat(replicaA.putIfAbsent("lease", "a")).isTrue();
        assertThat(replicaB.putIfAbsent("lease", "b")).isFalse();

        assertThat(replicaB.replace("lease", "stale", "b")).isFalse();
        assertThat(replicaB.replace("lease", "a", "b")).isTrue();
        assertThat(replicaA.replace("lease", "a", "a2")).isFalse();

        assertThat(replicaA.remove("lease", "a")).isFalse();
        assertThat(replicaA.get("lease")).hasValue("b");
        assertThat(replicaB.remove("lease", "b")).isTrue();
        assertThat(replicaA.get("lease")).isEmpty();
        assertThat(replicaA.replace("lease", "b", "c")).as("absent key").isFalse();
    }
}
