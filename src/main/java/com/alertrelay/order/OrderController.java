package com.alertrelay.order;

import java.net.URI;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;

/**
 * {@code POST /orders} creates an order and processes its payment: 201 with the order, whose status is
 * {@code PAID} or {@code FAILED} (with {@code failureReason}); a failed payment is a business outcome, not an
 * HTTP error. {@code GET /orders/{id}} reads one back. Errors are problem+json ({@link OrderProblems}).
 */
@RestController
class OrderController {

    private final OrderService orders;

    OrderController(OrderService orders) {
        this.orders = orders;
    }

    @PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Order> create(@Valid @RequestBody NewOrder request) {
        Order order = orders.place(request);
        return ResponseEntity.created(URI.create("/orders/" + order.id())).body(order);
    }

    @GetMapping("/orders/{id}")
    Order get(@PathVariable long id) {
        return orders.get(id);
    }
}
