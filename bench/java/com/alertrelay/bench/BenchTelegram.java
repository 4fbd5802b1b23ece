package com.alertrelay.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.alertrelay.notify.telegram.FakeTelegramApi;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the test suite's {@link FakeTelegramApi} (a stand-in for Telegram's Bot API on 127.0.0.1) as a process
 * for the benchmarks, with a small control endpoint that hands out what the fake received.
 *
 * <pre>
 * java -cp &lt;test class path&gt; com.alertrelay.bench.BenchTelegram TOKEN LIMIT_PER_MINUTE [--chat-not-found=CHAT]... INFO_FILE
 * </pre>
 *
 * LIMIT_PER_MINUTE 0 means no rate limit; otherwise at most that many messages (sends and edits) per chat in
 * any minute, beyond which the fake answers 429 with {@code retry_after}, as Telegram does in groups (20).
 * {@code --chat-not-found=CHAT} (repeatable): every call for that chat gets Telegram's 400 "chat not found",
 * which the relay treats as permanent (the delivery goes dead at once): dead letters for the console phase.
 * When both servers listen, INFO_FILE gets {@code {"api": URL, "control": URL}}. The control server answers
 * {@code GET /messages} (every message the fake accepted: chat, message id, time it was accepted in
 * microseconds since the epoch, the text as the chat shows it, and its edits) and {@code GET /requests}
 * (every call: time, method, chat, HTTP status). Stops on SIGTERM.
 */
public final class BenchTelegram {

    private BenchTelegram() {
    }

    public static void main(String[] args) {
        BenchControl.main(() -> run(args));
    }

    private static void run(String[] args) throws Exception {
        String token = args[0];
        int perMinute = Integer.parseInt(args[1]);
        Path infoFile = Path.of(args[args.length - 1]);

        FakeTelegramApi fake = FakeTelegramApi.start(token);
        if (perMinute > 0) {
            fake.limitPerChat(perMinute, Duration.ofMinutes(1));
        }
        for (int i = 2; i < args.length - 1; i++) {
            if (args[i].startsWith("--chat-not-found=")) {
                fake.chatNotFound(args[i].substring("--chat-not-found=".length()));
            } else {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        HttpServer control = BenchControl.serve(Map.of(
                "/messages", () -> messages(fake),
                "/requests", () -> requests(fake)));

        ObjectNode info = BenchControl.JSON.createObjectNode();
        info.put("api", fake.url());
        BenchControl.announceAndWait(infoFile, info, control, fake);
    }

    private static ArrayNode messages(FakeTelegramApi fake) {
        ArrayNode out = BenchControl.JSON.createArrayNode();
        for (FakeTelegramApi.Message m : fake.allMessages()) {
            ObjectNode o = out.addObject();
            o.put("chat", m.chatId());
            o.put("id", m.messageId());
            o.put("at_us", BenchControl.micros(m.at()));
            o.put("text", m.text());
            ArrayNode edits = o.putArray("edits");
            m.edits().forEach(edits::add);
        }
        return out;
    }

    private static ArrayNode requests(FakeTelegramApi fake) {
        ArrayNode out = BenchControl.JSON.createArrayNode();
        for (FakeTelegramApi.Request r : fake.requests()) {
            ObjectNode o = out.addObject();
            o.put("at_us", BenchControl.micros(r.at()));
            o.put("method", r.method());
            o.put("chat", r.chatId());
            o.put("status", r.status());
            o.put("description", r.description());
        }
        return out;
    }

}
