package com.alertrelay.notify.telegram;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Telegram without YAML: when {@code TELEGRAM_BOT_TOKEN} and {@code TELEGRAM_CHAT_ID} are set (optionally
 * {@code TELEGRAM_API_URL} and {@code TELEGRAM_THREAD_ID}), adds a channel named {@code telegram}. It joins
 * route {@code default}, which is every enabled channel unless {@code relay.routes.default} is configured.
 * The properties are added with the lowest precedence, so anything configured explicitly under
 * {@code relay.channels.telegram} wins. Registered in {@code META-INF/spring.factories}.
 */
class TelegramQuickStart implements EnvironmentPostProcessor {

    static final String CHANNEL = "telegram";
    static final String SOURCE = "telegramQuickStart";

    private final Log log;

    TelegramQuickStart(DeferredLogFactory logs) {
        this.log = logs.getLog(TelegramQuickStart.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String token = environment.getProperty("TELEGRAM_BOT_TOKEN");
        String chat = environment.getProperty("TELEGRAM_CHAT_ID");
        if (!StringUtils.hasText(token) || !StringUtils.hasText(chat)) {
            return;
        }
        String prefix = "relay.channels." + CHANNEL + ".";
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(prefix + "type", "telegram");
        properties.put(prefix + "bot-token", token.trim());
        properties.put(prefix + "chat-id", chat.trim());
        String apiUrl = environment.getProperty("TELEGRAM_API_URL");
        if (StringUtils.hasText(apiUrl)) {
            properties.put(prefix + "api-url", apiUrl.trim());
        }
        String thread = environment.getProperty("TELEGRAM_THREAD_ID");
        if (StringUtils.hasText(thread)) {
            properties.put(prefix + "message-thread-id", thread.trim());
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, properties));
        log.info("Telegram quick start: channel '" + CHANNEL + "' to chat " + chat.trim()
                + (StringUtils.hasText(thread) ? " (topic " + thread.trim() + ")" : "")
                + " from TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID");
    }
}
