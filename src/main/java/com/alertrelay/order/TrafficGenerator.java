package com.alertrelay.order;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Optional demo traffic: {@code order.traffic.rate} orders per second (default 0 = off) posted over real HTTP to
 * this service's own {@code POST /orders}, so the request metrics, dashboards and alerts have data. At most
 * {@code order.traffic.max-in-flight} requests wait for an answer at once (chaos {@code payment-delay} makes them
 * pile up); a tick beyond that is skipped, never queued.
 */
@Component
class TrafficGenerator {

    private static final Logger log = LoggerFactory.getLogger(TrafficGenerator.class);
    private static final List<String> ITEMS = List.of("keyboard", "monitor", "headset", "webcam", "dock", "mouse");

    private final OrderProperties.Traffic properties;
    private final Environment environment;
    private final Semaphore inFlight;
    private volatile ScheduledExecutorService scheduler;
    private volatile HttpClient http;
    private volatile ExecutorService httpExecutor;

    TrafficGenerator(OrderProperties properties, Environment environment) {
        this.properties = properties.traffic();
        this.environment = environment;
        this.inFlight = new Semaphore(this.properties.maxInFlight());
    }

    @EventListener(ApplicationReadyEvent.class)
    synchronized void start() {
        if (properties.rate() <= 0 || scheduler != null) {
            return;
        }
        String port = environment.getProperty("local.server.port");
        if (port == null) {
            log.warn("order.traffic.rate is {} but there is no web server to send orders to", properties.rate());
            return;
        }
        URI target = URI.create("http://127.0.0.1:" + port + "/orders");
        httpExecutor = Executors.newFixedThreadPool(2, daemon("order-traffic-http"));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).executor(httpExecutor).build();
        scheduler = Executors.newSingleThreadScheduledExecutor(daemon("order-traffic"));
        long periodNanos = (long) (1_000_000_000L / properties.rate());
        scheduler.scheduleAtFixedRate(() -> send(target), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        log.info("Traffic generator on: {} orders/s to {} (order.traffic.rate; at most {} in flight)",
                properties.rate(), target, properties.maxInFlight());
    }

    @EventListener(ContextClosedEvent.class)
    synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
            httpExecutor.shutdownNow();
            log.info("Traffic generator stopped");
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private void send(URI target) {
        if (!inFlight.tryAcquire()) {
            return;
        }
        try {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String body = String.format(Locale.ROOT, "{\"item\":\"%s\",\"quantity\":%d,\"amount\":%.2f}",
                    ITEMS.get(random.nextInt(ITEMS.size())), 1 + random.nextInt(5), 5 + random.nextDouble(500));
            HttpRequest request = HttpRequest.newBuilder(target)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> inFlight.release());
        } catch (RuntimeException e) {
            inFlight.release();
            log.debug("Traffic generator could not send an order", e);
        }
    }
}
