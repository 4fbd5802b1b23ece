package com.alertrelay.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.alertrelay.notify.kakao.FakeKakao;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the test suite's {@link FakeKakao} (a stand-in for Kakao's {@code kapi} and {@code kauth} on 127.0.0.1)
 * as a process for the benchmarks, with a small control endpoint that hands out what the fake received.
 *
 * <pre>
 * java -cp &lt;test class path&gt; com.alertrelay.bench.BenchKakao REST_API_KEY CLIENT_SECRET INFO_FILE
 * </pre>
 *
 * The fake issues one refresh token (valid for 60 days, so it never rotates during a run) for the relay's
 * channel. When both servers listen, INFO_FILE gets {@code {"api": URL, "auth": URL, "control": URL,
 * "refresh_token": TOKEN}} (kapi and kauth are the same server). The control server answers
 * {@code GET /messages} (every message the fake accepted: API path, time it was accepted in microseconds
 * since the epoch, the text as the chat shows it — a list template's header) and {@code GET /stats} (messages
 * accepted, refresh grants, templates rejected). Stops on SIGTERM.
 */
public final class BenchKakao {

    private BenchKakao() {
    }

    public static void main(String[] args) {
        BenchControl.main(() -> run(args));
    }

    private static void run(String[] args) throws Exception {
        String restApiKey = args[0];
        String clientSecret = args[1];
        Path infoFile = Path.of(args[2]);

        FakeKakao fake = new FakeKakao(restApiKey, clientSecret);
        String refreshToken = fake.issueRefreshToken(Duration.ofDays(60));
        HttpServer control = BenchControl.serve(Map.of(
                "/messages", () -> messages(fake),
                "/stats", () -> stats(fake)));

        ObjectNode info = BenchControl.JSON.createObjectNode();
        info.put("api", fake.url());
        info.put("auth", fake.url());
        info.put("refresh_token", refreshToken);
        BenchControl.announceAndWait(infoFile, info, control, fake);
    }

    private static ArrayNode messages(FakeKakao fake) {
        ArrayNode out = BenchControl.JSON.createArrayNode();
        for (FakeKakao.Sent s : fake.sent()) {
            ObjectNode o = out.addObject();
            o.put("path", s.path());
            o.put("at_us", BenchControl.micros(s.at()));
            o.put("text", s.text());
        }
        return out;
    }

    private static ObjectNode stats(FakeKakao fake) {
        ObjectNode o = BenchControl.JSON.createObjectNode();
        o.put("sent", fake.sent().size());
        o.put("refresh_calls", fake.refreshCalls());
        o.put("rejected_templates", fake.rejectedTemplates());
        return o;
    }

}
