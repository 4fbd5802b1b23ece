package com.alertrelay.order;

/** A request failed on purpose: chaos {@code error-rate} is above 0. Answered with 500. */
class InjectedFailureException extends RuntimeException {

    InjectedFailureException(double errorRate) {
        super("Injected failure: chaos error-rate is " + errorRate + " (PUT /api/chaos to change it)");
    }
}
