package com.alertrelay.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.alertrelay.notify.ChannelDefinition;
import com.alertrelay.notify.ChannelState;
import com.alertrelay.notify.Notifier;
import com.alertrelay.notify.NotifierType;
import com.alertrelay.store.StoreDialect;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/**
 * The enabled channel instances and the routes over them, built once at startup. A channel of an unknown
 * type, a route naming an unknown channel, or invalid type-specific settings fail startup with the
 * property's name.
 */
@Component
public class ChannelRegistry {

    public static final String DEFAULT_ROUTE = "default";
    private static final Logger log = LoggerFactory.getLogger(ChannelRegistry.class);

    private final Map<String, Channel> channels;
    private final Map<String, List<Channel>> routes;

    public ChannelRegistry(RoutingProperties properties, List<NotifierType> types, Environment environment,
            Validator validator, JdbcClient jdbc, StoreDialect dialect, Clock clock, SendBudget budget) {
        Map<String, NotifierType> typesByName = types.stream()
                .collect(Collectors.toMap(NotifierType::type, Function.identity()));
        Binder binder = Binder.get(environment);
        Map<String, Channel> built = new LinkedHashMap<>();
        new TreeMap<>(properties.channels()).forEach((name, props) -> {
            String prefix = "relay.channels." + name;
            NotifierType type = typesByName.get(props.type());
            if (type == null) {
                throw new IllegalStateException(prefix + ".type: unknown channel type '" + props.type()
                        + "' (known: " + String.join(", ", new TreeMap<>(typesByName).keySet()) + ")");
            }
            if (!props.enabled()) {
                log.info("Channel {} ({}) is disabled", name, props.type());
                return;
            }
            LabelFilter filter = LabelFilter.of(prefix, props.labels());
            Definition definition = new Definition(name, prefix, binder, validator,
                    new JdbcChannelState(jdbc, dialect, clock, name), budget.sendBudget());
            Notifier notifier = type.create(definition);
            built.put(name, new Channel(name, props.type(), props.sendResolved(), filter, notifier,
                    props.fallback() == null || props.fallback().isBlank() ? null : props.fallback().trim()));
        });
        checkFallbacks(built, properties.channels());
        this.channels = Map.copyOf(built);
        this.routes = buildRoutes(properties.routes(), properties.channels().keySet(), built);
        log.info("Channels: {}; routes: {}", built.values(), routes.entrySet().stream()
                .map(r -> r.getKey() + " -> " + r.getValue().stream().map(Channel::name).toList())
                .collect(Collectors.joining(", ")));
    }

    /** Every fallback names an enabled channel, and no chain comes back to where it started. */
    private static void checkFallbacks(Map<String, Channel> channels, Map<String, ChannelProperties> declared) {
        for (Channel channel : channels.values()) {
            List<String> chain = new ArrayList<>(List.of(channel.name()));
            Optional<String> next = channel.fallback();
            while (next.isPresent()) {
                String target = next.get();
                String property = "relay.channels." + chain.get(chain.size() - 1) + ".fallback";
                if (declared.containsKey(target) && !channels.containsKey(target)) {
                    throw new IllegalStateException(property + ": channel '" + target + "' is disabled (relay.channels."
                            + target + ".enabled is false): a fallback must be a channel that delivers");
                }
                if (!channels.containsKey(target)) {
                    throw new IllegalStateException(property + ": no enabled channel named '" + target
                            + "' under relay.channels");
                }
                if (chain.contains(target)) {
                    List<String> loop = List.copyOf(chain.subList(chain.indexOf(target), chain.size()));
                    chain.add(target);
                    throw new IllegalStateException(property + ": fallback loop " + String.join(" -> ", chain) + " ("
                            + loop.stream().map(c -> "relay.channels." + c + ".fallback: " + channels.get(c).fallback()
                                    .orElseThrow()).collect(Collectors.joining(", "))
                            + "; each channel's fallback must lead away from it)");
                }
                chain.add(target);
                next = channels.get(target).fallback();
            }
        }
    }

    private static Map<String, List<Channel>> buildRoutes(Map<String, RouteProperties> configured,
            Set<String> declared, Map<String, Channel> enabled) {
        Map<String, List<Channel>> routes = new TreeMap<>();
        configured.forEach((route, props) -> {
            List<Channel> targets = new ArrayList<>();
            for (int i = 0; i < props.channels().size(); i++) {
                String name = props.channels().get(i);
                if (!declared.contains(name)) {
                    throw new IllegalStateException("relay.routes." + route + ".channels[" + i
                            + "]: no channel named '" + name + "' under relay.channels");
                }
                Optional.ofNullable(enabled.get(name)).ifPresent(targets::add);
            }
            routes.put(route, List.copyOf(targets));
        });
        routes.putIfAbsent(DEFAULT_ROUTE, List.copyOf(enabled.values()));
        return Map.copyOf(routes);
    }

    /** The channels of a route, or empty for a route that is not configured. */
    public Optional<List<Channel>> route(String name) {
        return Optional.ofNullable(routes.get(name));
    }

    /** The configured route names, sorted. */
    public java.util.SortedSet<String> routeNames() {
        return new java.util.TreeSet<>(routes.keySet());
    }

    public Optional<Channel> channel(String name) {
        return Optional.ofNullable(channels.get(name));
    }

    public Collection<Channel> channels() {
        return channels.values();
    }

    private record Definition(String name, String propertyPrefix, Binder binder, Validator validator,
            ChannelState state, Duration sendBudget) implements ChannelDefinition {

        @Override
        public <T> T bindSettings(Class<T> settingsType) {
            BindResult<T> bound = binder.bind(propertyPrefix, Bindable.of(settingsType));
            T settings = bound.orElseGet(() -> binder.bindOrCreate(propertyPrefix, Bindable.of(settingsType)));
            Set<ConstraintViolation<T>> violations = validator.validate(settings);
            if (!violations.isEmpty()) {
                throw new IllegalStateException(violations.stream()
                        .map(v -> propertyPrefix + "." + kebab(v.getPropertyPath().toString()) + ": " + v.getMessage())
                        .sorted()
                        .collect(Collectors.joining("; ")));
            }
            return settings;
        }

        private static String kebab(String path) {
            return path.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
        }
    }
}
