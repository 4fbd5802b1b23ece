package com.alertrelay.testsupport;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A meter registry for web slice tests ({@code @WebMvcTest} brings none): {@code @Import(SimpleMetrics.class)}. */
@TestConfiguration
public class SimpleMetrics {

    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }
}
