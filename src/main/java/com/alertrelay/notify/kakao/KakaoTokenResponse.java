package com.alertrelay.notify.kakao;

import java.time.Duration;
import java.time.Instant;

/**
 * What {@code POST {kauth}/oauth/token} answers: a new access token, and a new refresh token only when
 * Kakao rotated it (then the old one dies). {@link #toString()} shows no token.
 */
record KakaoTokenResponse(String accessToken, Duration expiresIn, String refreshToken,
        Duration refreshTokenExpiresIn, String scope) {

    Instant accessTokenExpiresAt(Instant now) {
        return now.plus(expiresIn);
    }

    boolean rotated() {
        return refreshToken != null && !refreshToken.isBlank();
    }

    @Override
    public String toString() {
        return "KakaoTokenResponse[accessToken=" + KakaoSecrets.MASK + ", expiresIn=" + expiresIn
                + ", refreshToken=" + (rotated() ? KakaoSecrets.MASK : "not rotated")
                + ", refreshTokenExpiresIn=" + refreshTokenExpiresIn + ", scope=" + scope + "]";
    }
}
