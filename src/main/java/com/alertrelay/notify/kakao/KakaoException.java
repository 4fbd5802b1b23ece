package com.alertrelay.notify.kakao;

/**
 * A failed call to Kakao, classified for the delivery decision. The message is already free of secrets
 * (built from Kakao's error code and message, masked) and is what the operator sees as the reason.
 */
final class KakaoException extends RuntimeException {

    enum Kind {
        /** kapi -401: the access token expired or is unknown; refresh once and try again. */
        EXPIRED_ACCESS_TOKEN,
        /** kauth KOE322 / invalid_grant: the refresh token is dead; an operator must consent again. */
        DEAD_REFRESH_TOKEN,
        /** no refresh token at all: the channel was never authorized. */
        NOT_AUTHORIZED,
        /** kapi -10 / -531: the daily quota is used up. */
        QUOTA,
        /** network error, 5xx, -1, -9798: worth trying again later. */
        TRANSIENT,
        /** will never work as sent: bad template, missing consent, bad key. */
        PERMANENT
    }

    private final Kind kind;
    private final String errorCode;

    KakaoException(Kind kind, String errorCode, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.errorCode = errorCode;
    }

    Kind kind() {
        return kind;
    }

    /** Kakao's code ({@code -401}, {@code KOE322}), or {@code io} / {@code http-503} when Kakao sent none. */
    String errorCode() {
        return errorCode;
    }
}
