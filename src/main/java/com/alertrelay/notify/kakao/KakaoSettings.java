package com.alertrelay.notify.kakao;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.bind.DefaultValue;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code relay.channels.<name>.*} of a channel of type {@code kakao}. {@link #toString()} never shows the
 * key, the secret or the token.
 *
 * @param restApiKey       the app's REST API key (OAuth {@code client_id})
 * @param clientSecret     the app's client secret, when "client secret" is enabled for Kakao Login
 * @param refreshToken     the initial refresh token; a rotated one (or one from the authorize page) is
 *                         kept in the store and wins from then on, until this value changes
 * @param mode             {@code memo} (send to me) or {@code friends} (send to {@code receiverUuids})
 * @param receiverUuids    friends' uuids for mode {@code friends}, at most 5 (one API call)
 * @param linkUrl          where the message and its button link to; default: the notification's
 *                         Alertmanager {@code externalURL}. Its domain must be registered in the Kakao app
 * @param linkDomains      hosts that may be linked to (registered in the Kakao app); a {@code runbook_url}
 *                         on one of them gets a "Runbook" button. Default: the host of the link target
 * @param apiUrl           Kakao API base URL
 * @param authUrl          Kakao auth base URL
 * @param redirectUri      the OAuth redirect URI registered in the app; default: this relay's
 *                         {@code /kakao/<name>/callback} as the browser reached it
 * @param dailyLimit       messages this channel may send per day (day boundary Asia/Seoul)
 * @param criticalOnlyAbove share of the daily limit after which only critical alerts get their own message
 *                         and the rest are coalesced into one digest per {@code digestInterval}
 * @param digestInterval   how often a digest of held notifications is sent
 * @param textTemplate     template of a one-alert message in the relay's template language ({@code {{status}}},
 *                         {@code {{labels.NAME}}} …, see {@link com.alertrelay.notify.TemplateModel}); the old
 *                         {@code {status}}/{@code {label:NAME}} form stops startup, showing it rewritten
 * @param connectTimeout   connect timeout to Kakao
 * @param readTimeout      read timeout to Kakao (kept well under the relay's delivery lease)
 */
record KakaoSettings(
        @NotBlank String restApiKey,
        String clientSecret,
        String refreshToken,
        @NotNull @DefaultValue("memo") Mode mode,
        @Size(max = 5) List<@NotBlank String> receiverUuids,
        URI linkUrl,
        List<@NotBlank String> linkDomains,
        @NotNull @DefaultValue("https://kapi.kakao.com") URI apiUrl,
        @NotNull @DefaultValue("https://kauth.kakao.com") URI authUrl,
        URI redirectUri,
        @Min(1) @Max(100000) @DefaultValue("100") int dailyLimit,
        @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.8") double criticalOnlyAbove,
        @NotNull @DefaultValue("15m") Duration digestInterval,
        String textTemplate,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DefaultValue("20s") Duration readTimeout) {

    enum Mode {
        MEMO, FRIENDS
    }

    KakaoSettings {
        receiverUuids = receiverUuids == null ? List.of() : List.copyOf(receiverUuids);
        linkDomains = linkDomains == null ? List.of() : List.copyOf(linkDomains);
        clientSecret = blankToNull(clientSecret);
        refreshToken = blankToNull(refreshToken);
        textTemplate = blankToNull(textTemplate);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The configured secrets, for {@link KakaoSecrets#mask}. */
    List<String> secrets() {
        return java.util.stream.Stream.of(restApiKey, clientSecret, refreshToken)
                .filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public String toString() {
        return "KakaoSettings[restApiKey=" + KakaoSecrets.MASK
                + ", clientSecret=" + (clientSecret == null ? "unset" : KakaoSecrets.MASK)
                + ", refreshToken=" + (refreshToken == null ? "unset" : KakaoSecrets.MASK)
                + ", mode=" + mode + ", receiverUuids=" + receiverUuids.size()
                + ", linkUrl=" + linkUrl + ", linkDomains=" + linkDomains
                + ", apiUrl=" + apiUrl + ", authUrl=" + authUrl + ", redirectUri=" + redirectUri
                + ", dailyLimit=" + dailyLimit + ", criticalOnlyAbove=" + criticalOnlyAbove
                + ", digestInterval=" + digestInterval + ", textTemplate=" + (textTemplate != null)
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }
}
