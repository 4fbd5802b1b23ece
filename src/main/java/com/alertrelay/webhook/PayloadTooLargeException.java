package com.alertrelay.webhook;

import com.alertrelay.http.BodyTooLargeException;

/** The webhook body is larger than {@code relay.webhook.max-body-size}. */
class PayloadTooLargeException extends BodyTooLargeException {

    static final String PROPERTY = "relay.webhook.max-body-size";

    PayloadTooLargeException(long limit) {
        super(limit, PROPERTY);
    }
}
