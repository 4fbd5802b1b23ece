package com.alertrelay.auth;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Safe by default: with no credentials configured (no {@code relay.webhook.bearer-token}, no
 * {@code relay.webhook.username}, no {@code relay.admin.token}) the relay listens on 127.0.0.1 only, unless
 * {@code server.address} is set explicitly — an open relay on every interface lets anyone who reaches the port
 * post fake alerts, read alert history and switch chaos on. Startup says so, with the one setting that opens it
 * up properly. The README's first-run curl examples, on the same machine, keep working.
 */
class LoopbackUnlessCredentials implements EnvironmentPostProcessor {

    static final String ADDRESS = "server.address";
    static final String LOOPBACK = "127.0.0.1";

    private final Log log;

    LoopbackUnlessCredentials(DeferredLogFactory logs) {
        this.log = logs.getLog(LoopbackUnlessCredentials.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(ADDRESS) || hasCredentials(environment)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource("relayLoopbackUnlessCredentials",
                Map.of(ADDRESS, LOOPBACK)));
        log.warn("No credentials are configured, so the relay listens on " + LOOPBACK + " only. To let "
                + "Alertmanager on other hosts in, set RELAY_WEBHOOK_BEARER_TOKEN (and RELAY_ADMIN_TOKEN for the "
                + "operator API): the relay then listens on every interface (or choose one with SERVER_ADDRESS).");
    }

    static boolean hasCredentials(ConfigurableEnvironment environment) {
        Binder binder = Binder.get(environment);
        for (String property : new String[] {"relay.webhook.bearer-token", "relay.webhook.username",
                "relay.admin.token"}) {
            if (binder.bind(property, String.class).map(value -> !value.isBlank()).orElse(false)) {
                return true;
            }
        }
        return false;
    }
}
