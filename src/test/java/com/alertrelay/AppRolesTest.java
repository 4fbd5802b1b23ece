package com.alertrelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.MapPropertySource;

/** Parsing {@code app.roles} / {@code APP_ROLES}. */
class AppRolesTest {

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }

    @Test
    void bothRolesByDefault() {
        assertThat(AppRoles.roles(environment(Map.of()))).containsExactly("relay", "orders");
    }

    @Test
    void theEnvironmentVariableIsACommaSeparatedListAndCaseDoesNotMatter() {
        assertThat(AppRoles.roles(environment(Map.of("app.roles", " Orders ")))).containsExactly("orders");
        assertThat(AppRoles.roles(environment(Map.of("app.roles", "orders,relay")))).containsExactly("orders", "relay");
    }

    @Test
    void anUnknownRoleFailsStartupNamingTheProperty() {
        assertThatThrownBy(() -> AppRoles.roles(environment(Map.of("app.roles", "relay,billing"))))
                .hasMessageContaining("app.roles: unknown role 'billing' (known: relay, orders");
        assertThatThrownBy(() -> AppRoles.roles(environment(Map.of("app.roles", " , "))))
                .hasMessageContaining("app.roles is empty");
    }
}
