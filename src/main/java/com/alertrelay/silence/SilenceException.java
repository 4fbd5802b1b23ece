package com.alertrelay.silence;

/**
 * A silence could not be created, expired or listed. The message says why, per Alertmanager, never with a
 * credential: {@link SilenceRefusedException} (an Alertmanager refused the request, its own words included),
 * {@link SilenceNotFoundException} (no Alertmanager has the silence), {@link SilencesUnavailableException} (no
 * Alertmanager answered).
 */
public abstract class SilenceException extends RuntimeException {

    SilenceException(String message) {
        super(message);
    }
}
