package com.alertrelay.order;

import java.time.Clock;

import org.springframework.stereotype.Service;

/**
 * Creates an order and processes its payment. The order is stored (and counted in {@code orders_created_total})
 * before the payment runs, and no transaction is held open while the payment takes its time.
 */
@Service
class OrderService {

    private final OrderRepository repository;
    private final PaymentProcessor payments;
    private final OrderMetrics metrics;
    private final ChaosSettings chaos;
    private final Clock clock;

    OrderService(OrderRepository repository, PaymentProcessor payments, OrderMetrics metrics, ChaosSettings chaos,
            Clock clock) {
        this.repository = repository;
        this.payments = payments;
        this.metrics = metrics;
        this.chaos = chaos;
        this.clock = clock;
    }

    Order place(NewOrder request) {
        chaos.maybeFailRequest();
        Order order = repository.insert(request, clock.instant());
        metrics.created();
        String failure = payments.process(order);
        if (failure != null) {
            metrics.failed(failure);
        }
        return repository.complete(order.id(), failure, clock.instant());
    }

    Order get(long id) {
        chaos.maybeFailRequest();
        return repository.find(id).orElseThrow(() -> new OrderNotFoundException(id));
    }
}
