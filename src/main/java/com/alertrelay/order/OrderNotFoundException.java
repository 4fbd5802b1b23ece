package com.alertrelay.order;

/** {@code GET /orders/{id}} for an order that does not exist. */
class OrderNotFoundException extends RuntimeException {

    OrderNotFoundException(long id) {
        super("No order " + id);
    }
}
