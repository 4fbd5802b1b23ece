package com.alertrelay.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.springframework.stereotype.Component;

import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.ChannelDefinition;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.notify.Notifier;
import com.alertrelay.notify.NotifierType;
import com.alertrelay.notify.RenderedMessage;

import jakarta.validation.constraints.NotNull;

/**
 * Test channel type {@code file}, for tests that run the relay as a child JVM: each delivered notification
 * appends {@code <notification id> <status> <groupKey>} as one line to {@code relay.channels.<name>.file}
 * (synced to disk). While {@code relay.channels.<name>.block-file} exists, every delivery fails (retry).
 */
@Component
public class FileNotifierType implements NotifierType {

    public record Settings(@NotNull Path file, Path blockFile) {
    }

    @Override
    public String type() {
        return "file";
    }

    @Override
    public Notifier create(ChannelDefinition channel) {
        Settings settings = channel.bindSettings(Settings.class);
        return new Notifier() {
            @Override
            public List<RenderedMessage> render(AlertNotification notification) {
                return List.of(new RenderedMessage("text", line(notification)));
            }

            @Override
            public DeliveryResult deliver(AlertNotification notification) {
                if (settings.blockFile() != null && Files.exists(settings.blockFile())) {
                    return DeliveryResult.retry("blocked by " + settings.blockFile());
                }
                try {
                    Files.writeString(settings.file(), line(notification) + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return DeliveryResult.delivered();
            }
        };
    }

    private static String line(AlertNotification notification) {
        return notification.id() + " " + notification.group().status() + " " + notification.group().groupKey();
    }
}
