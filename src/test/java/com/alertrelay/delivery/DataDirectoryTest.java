package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class DataDirectoryTest {

    private static String resolve(String configured) {
        MockEnvironment environment = new MockEnvironment().withProperty("relay.data-dir", configured);
        new DataDirectory().postProcessEnvironment(environment, new SpringApplication());
        return environment.getProperty("relay.data-dir");
    }

    @Test
    void aRelativeDirectoryBecomesAbsoluteSoH2AcceptsIt() {
        assertThat(resolve("data")).isEqualTo(Path.of("data").toAbsolutePath().toString());
        assertThat(resolve("./data/../data")).isEqualTo(Path.of("data").toAbsolutePath().toString());
    }

    @Test
    void anAbsoluteDirectoryStaysAsItIs() {
        assertThat(resolve("/var/lib/alert-relay")).isEqualTo("/var/lib/alert-relay");
    }
}
