package com.alertrelay.webhook;

import java.io.IOException;

/** The webhook body is larger than {@code relay.webhook.max-body-size}. */
class PayloadTooLargeException extends IOException {

    PayloadTooLargeException(long limit) {
        super("Request body is larger than the limit of " + limit + " bytes (relay.webhook.max-body-size)");
    }
}
