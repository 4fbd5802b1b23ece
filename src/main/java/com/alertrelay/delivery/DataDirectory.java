package com.alertrelay.delivery;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Resolves {@code relay.data-dir} to an absolute path once, before anything uses it, so that the store's URL,
 * log lines and metrics name one place whatever the working directory: an operator should be able to write
 * {@code RELAY_DATADIR=data} as naturally as {@code /var/lib/alert-relay}.
 */
class DataDirectory implements EnvironmentPostProcessor {

    static final String PROPERTY = "relay.data-dir";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            return;
        }
        String absolute = Path.of(configured.trim()).toAbsolutePath().normalize().toString();
        environment.getPropertySources()
                .addFirst(new MapPropertySource("relayDataDirectory", Map.of(PROPERTY, absolute)));
    }
}
