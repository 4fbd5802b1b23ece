package com.alertrelay.notify.kakao;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.alertrelay.notify.OperatorAccess;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Connects a channel to a Kakao account from a browser, without curl:
 * {@code GET /kakao/<channel>/authorize} (operator credentials) redirects to Kakao's consent page for
 * {@code talk_message} (started by {@link KakaoAuthorization}, as the console's Connect button does); Kakao sends
 * the browser back to {@code GET /kakao/<channel>/callback?code=…&state=…}, which checks the one-time {@code state} issued by authorize (CSRF), exchanges the code, stores the
 * tokens and answers a plain page saying it worked — or exactly what failed. No page shows a token.
 */
@RestController
class KakaoOAuthController {

    static final String STATE = KakaoAuthorization.STATE;
    static final Duration STATE_LIFETIME = KakaoAuthorization.STATE_LIFETIME;
    private static final MediaType TEXT = new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8);
    private static final Logger log = LoggerFactory.getLogger(KakaoOAuthController.class);

    private final KakaoNotifierType kakao;
    private final KakaoAuthorization authorization;
    private final OperatorAccess access;
    private final Clock clock;

    KakaoOAuthController(KakaoNotifierType kakao, KakaoAuthorization authorization, OperatorAccess access, Clock clock) {
        this.kakao = kakao;
        this.authorization = authorization;
        this.access = access;
        this.clock = clock;
    }

    @GetMapping("/kakao/{channel}/authorize")
    ResponseEntity<String> authorize(@PathVariable String channel, HttpServletRequest request) {
        Optional<KakaoNotifier> notifier = kakao.channel(channel);
        if (notifier.isEmpty()) {
            return page(HttpStatus.NOT_FOUND, unknown(channel));
        }
        if (!access.allows(request) && access.loopbackOnly()) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(TEXT)
                    .body("With no credentials configured, a KakaoTalk channel can only be connected from the relay's "
                            + "own machine (http://127.0.0.1:<port>/kakao/" + channel + "/authorize). Set "
                            + "RELAY_ADMIN_TOKEN to connect from elsewhere.\n");
        }
        if (!access.allows(request)) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, access.challenge())
                    .contentType(TEXT)
                    .body("Connecting a KakaoTalk channel needs the relay's operator credentials (user name: anything, "
                            + "password: RELAY_ADMIN_TOKEN — or the webhook's credentials).\n");
        }
        URI consent = authorization.start(channel).orElseThrow();
        return ResponseEntity.status(HttpStatus.FOUND).location(consent).cacheControl(CacheControl.noStore()).build();
    }

    @GetMapping("/kakao/{channel}/callback")
    ResponseEntity<String> callback(@PathVariable String channel,
            @RequestParam(required = false) String code,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String error,
            @RequestParam(name = "error_description", required = false) String errorDescription) {
        Optional<KakaoNotifier> notifier = kakao.channel(channel);
        if (notifier.isEmpty()) {
            return page(HttpStatus.NOT_FOUND, unknown(channel));
        }
        KakaoNotifier n = notifier.get();
        String again = "Open /kakao/" + channel + "/authorize to start again.";
        String issued = n.state().get(STATE).orElse(null);
        if (state == null || issued == null) {
            return page(HttpStatus.BAD_REQUEST, "KakaoTalk channel '" + channel + "' was NOT connected: "
                    + (state == null ? "the request has no state parameter" : "no authorization was started here")
                    + ". " + again);
        }
        String[] parts = issued.split(" ", 3);
        if (parts.length < 3 || !KakaoSecrets.same(parts[0], KakaoSecrets.fingerprint(state))) {
            return page(HttpStatus.BAD_REQUEST, "KakaoTalk channel '" + channel + "' was NOT connected: the state "
                    + "parameter does not match the authorization started here (an older link, or a forged request). "
                    + again);
        }
        n.state().remove(STATE);
        if (clock.instant().isAfter(Instant.ofEpochMilli(Long.parseLong(parts[1])))) {
            return page(HttpStatus.BAD_REQUEST, "KakaoTalk channel '" + channel + "' was NOT connected: the "
                    + "authorization took longer than " + STATE_LIFETIME.toMinutes() + " minutes. " + again);
        }
        if (error != null) {
            return page(HttpStatus.BAD_REQUEST, "KakaoTalk channel '" + channel + "' was NOT connected: Kakao answered "
                    + error + (errorDescription == null ? "" : " (" + n.tokensMask(errorDescription) + ")")
                    + ("access_denied".equals(error) ? ": consent was declined. Agree to 'Send KakaoTalk message' "
                            + "(talk_message). " : ". ") + again);
        }
        if (code == null || code.isBlank()) {
            return page(HttpStatus.BAD_REQUEST, "KakaoTalk channel '" + channel
                    + "' was NOT connected: Kakao sent no authorization code. " + again);
        }
        Instant asked = clock.instant();
        KakaoTokenResponse tokens;
        try {
            tokens = n.auth().exchangeCode(code, parts[2]);
        } catch (KakaoException e) {
            String why = n.tokensMask(e.getMessage());
            log.warn("KakaoTalk channel {}: authorization code exchange failed: {}", channel, why);
            return page(e.kind() == KakaoException.Kind.TRANSIENT ? HttpStatus.BAD_GATEWAY : HttpStatus.BAD_REQUEST,
                    "KakaoTalk channel '" + channel + "' was NOT connected: exchanging the authorization code failed: "
                            + why + ". Check rest-api-key, client-secret and that the redirect URI " + parts[2]
                            + " is registered in the Kakao app. " + again);
        }
        if (!tokens.rotated()) {
            return page(HttpStatus.BAD_GATEWAY, "KakaoTalk channel '" + channel
                    + "' was NOT connected: Kakao returned no refresh token. " + again);
        }
        n.tokens().storeAuthorized(tokens, asked);
        boolean consented = tokens.scope() == null || tokens.scope().contains(KakaoAuthApi.SCOPE);
        log.info("KakaoTalk channel {}: connected through the authorize page; tokens stored", channel);
        return page(HttpStatus.OK, "KakaoTalk channel '" + channel + "' is connected.\n"
                + "Access token valid until " + tokens.accessTokenExpiresAt(asked) + "; the relay refreshes it on its own"
                + (tokens.refreshTokenExpiresIn() == null ? "" : ", and the refresh token (valid until "
                        + asked.plus(tokens.refreshTokenExpiresIn()) + ") as Kakao rotates it")
                + ".\nThe next delivery on this channel uses these tokens.\n"
                + (consented ? "" : "WARNING: the consent does not include talk_message (Send KakaoTalk message): "
                        + "messages will fail with -402. Enable the consent item in the Kakao app and open /kakao/"
                        + channel + "/authorize again.\n"));
    }

    private static String unknown(String channel) {
        return "No KakaoTalk channel named '" + channel.replaceAll("[^A-Za-z0-9_.-]", "?")
                + "': configure relay.channels.<name>.type: kakao\n";
    }

    private static ResponseEntity<String> page(HttpStatus status, String text) {
        return ResponseEntity.status(status).contentType(TEXT).cacheControl(CacheControl.noStore())
                .header("X-Content-Type-Options", "nosniff")
                .body(text.endsWith("\n") ? text : text + "\n");
    }
}
