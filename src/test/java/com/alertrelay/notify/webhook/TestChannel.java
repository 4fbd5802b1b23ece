package com.alertrelay.notify.webhook;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import com.alertrelay.notify.ChannelDefinition;
import com.alertrelay.notify.ChannelState;
import com.alertrelay.notify.InMemoryChannelState;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

/**
 * A channel definition over a map of properties, bound and validated as the relay does, for unit tests of the
 * notifier without a Spring context.
 */
record TestChannel(String name, Map<String, String> properties, ChannelState state) implements ChannelDefinition {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    TestChannel(String name, Map<String, String> properties) {
        this(name, properties, new InMemoryChannelState());
    }

    @Override
    public java.time.Duration sendBudget() {
        return java.time.Duration.ofMinutes(1);
    }

    @Override
    public String propertyPrefix() {
        return "relay.channels." + name;
    }

    @Override
    public <T> T bindSettings(Class<T> settingsType) {
        Map<String, String> prefixed = properties.entrySet().stream()
                .collect(Collectors.toMap(e -> propertyPrefix() + "." + e.getKey(), Map.Entry::getValue));
        T settings = new Binder(new MapConfigurationPropertySource(prefixed))
                .bindOrCreate(propertyPrefix(), Bindable.of(settingsType));
        Set<ConstraintViolation<T>> violations = VALIDATOR.validate(settings);
        if (!violations.isEmpty()) {
            throw new IllegalStateException(violations.stream()
                    .map(v -> propertyPrefix() + "." + v.getPropertyPath() + ": " + v.getMessage())
                    .collect(Collectors.joining("; ")));
        }
        return settings;
    }
}
