package com.alertrelay.notify.kakao;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Quick start: {@code KAKAO_REST_API_KEY} and {@code KAKAO_REFRESH_TOKEN} (optional
 * {@code KAKAO_CLIENT_SECRET}, {@code KAKAO_API_URL}, {@code KAKAO_AUTH_URL}) define a channel named
 * {@code kakao} of type {@code kakao} and put it into route {@code default}. Anything configured under
 * {@code relay.channels.kakao.*} explicitly wins; the secrets stay in the environment's own property source.
 */
class KakaoQuickStart implements EnvironmentPostProcessor {

    static final String CHANNEL = "kakao";
    private static final String PREFIX = "relay.channels." + CHANNEL + ".";
    private static final Map<String, String> VARIABLES = Map.of(
            "KAKAO_REST_API_KEY", "rest-api-key",
            "KAKAO_REFRESH_TOKEN", "refresh-token",
            "KAKAO_CLIENT_SECRET", "client-secret",
            "KAKAO_API_URL", "api-url",
            "KAKAO_AUTH_URL", "auth-url");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String key = environment.getProperty("KAKAO_REST_API_KEY");
        String token = environment.getProperty("KAKAO_REFRESH_TOKEN");
        if (key == null || key.isBlank() || token == null || token.isBlank()) {
            return;
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put(PREFIX + "type", CHANNEL);
        VARIABLES.forEach((variable, property) -> {
            String value = environment.getProperty(variable);
            if (value != null && !value.isBlank()) {
                // a placeholder, so the value itself is only ever in the environment's source
                defaults.put(PREFIX + property, "${" + variable + "}");
            }
        });
        // lowest precedence: relay.channels.kakao.* set anywhere else wins
        environment.getPropertySources().addLast(new MapPropertySource("kakaoQuickStart", defaults));

        List<String> route = Binder.get(environment)
                .bind("relay.routes.default.channels", Bindable.listOf(String.class)).orElse(null);
        if (route != null && !route.contains(CHANNEL)) {
            // route "default" is configured explicitly: add the quick-start channel to it
            List<String> extended = new ArrayList<>(route);
            extended.add(CHANNEL);
            environment.getPropertySources().addFirst(new MapPropertySource("kakaoQuickStartRoute",
                    Map.of("relay.routes.default.channels", String.join(",", extended))));
        }
    }
}
