package com.alertrelay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * {@code app.roles} ({@code APP_ROLES}, default {@code relay,orders}): which parts of the codebase this JVM runs.
 * By default one JVM runs both, the {@code ./mvnw spring-boot:run} demo; {@code APP_ROLES=relay} or
 * {@code APP_ROLES=orders} runs one of them, so a dying order service cannot take its own alerting down with it.
 *
 * <p>Registered in {@code META-INF/spring.factories}, it runs before component scanning and registers a
 * {@link TypeExcludeFilter} (which {@code @SpringBootApplication}'s scan and {@code @ConfigurationPropertiesScan}
 * consult) that leaves out the packages of the roles that are off. The relay's and the order service's classes
 * know nothing about roles; {@code auth}, the store and actuator belong to both.
 */
public final class AppRoles implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String PROPERTY = "app.roles";
    public static final String RELAY = "relay";
    public static final String ORDERS = "orders";

    private static final Logger log = LoggerFactory.getLogger(AppRoles.class);

    /** The packages (with their sub-packages) that make up each role. */
    private static final Map<String, List<String>> PACKAGES;

    static {
        Map<String, List<String>> packages = new LinkedHashMap<>();
        packages.put(RELAY, List.of("com.alertrelay.webhook", "com.alertrelay.delivery", "com.alertrelay.routing",
                "com.alertrelay.notify", "com.alertrelay.reconcile", "com.alertrelay.silence", "com.alertrelay.console"));
        packages.put(ORDERS, List.of("com.alertrelay.order"));
        PACKAGES = Collections.unmodifiableMap(packages);
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        Set<String> roles = roles(context.getEnvironment());
        List<String> excluded = new ArrayList<>();
        PACKAGES.forEach((role, packages) -> {
            if (!roles.contains(role)) {
                excluded.addAll(packages);
            }
        });
        if (!context.getBeanFactory().containsSingleton(RoleExcludeFilter.BEAN_NAME)) {
            context.getBeanFactory().registerSingleton(RoleExcludeFilter.BEAN_NAME, new RoleExcludeFilter(excluded));
        }
        log.info("Roles: {}{}", String.join(",", roles),
                excluded.isEmpty() ? "" : " (left out: " + String.join(", ", excluded) + ")");
    }

    /** The configured roles; fails with a message naming the property when one is unknown or none is left. */
    static Set<String> roles(Environment environment) {
        List<String> configured = Binder.get(environment)
                .bind(PROPERTY, Bindable.listOf(String.class))
                .orElse(List.of(RELAY, ORDERS));
        Set<String> roles = new LinkedHashSet<>();
        for (String role : configured) {
            String normalized = role.trim().toLowerCase(Locale.ROOT);
            if (normalized.isEmpty()) {
                continue;
            }
            if (!PACKAGES.containsKey(normalized)) {
                throw new IllegalStateException(PROPERTY + ": unknown role '" + role.trim() + "' (known: "
                        + RELAY + ", " + ORDERS + "; APP_ROLES=relay,orders runs both)");
            }
            roles.add(normalized);
        }
        if (roles.isEmpty()) {
            throw new IllegalStateException(PROPERTY + " is empty: set it to relay, orders or relay,orders");
        }
        return roles;
    }

    /** Leaves classes of the given packages (and their sub-packages) out of component and properties scanning. */
    static final class RoleExcludeFilter extends TypeExcludeFilter {

        static final String BEAN_NAME = "com.alertrelay.AppRoles.RoleExcludeFilter";

        private final List<String> prefixes;

        RoleExcludeFilter(List<String> packages) {
            this.prefixes = packages.stream().map(p -> p + ".").toList();
        }

        @Override
        public boolean match(MetadataReader reader, MetadataReaderFactory factory) throws IOException {
            String className = reader.getClassMetadata().getClassName();
            return prefixes.stream().anyMatch(className::startsWith);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof RoleExcludeFilter filter && filter.prefixes.equals(prefixes);
        }

        @Override
        public int hashCode() {
            return prefixes.hashCode();
        }
    }
}
