package com.alertrelay.delivery;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.alertrelay.routing.Channel;
import com.alertrelay.routing.ChannelRegistry;

import jakarta.annotation.PreDestroy;

/** Starts one {@link ChannelWorker} thread per enabled channel and stops them on shutdown. */
@Component
public class DeliveryWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorkers.class);

    private final Map<String, ChannelWorker> workers = new LinkedHashMap<>();
    private final Map<String, Thread> threads = new LinkedHashMap<>();
    private final ScheduledExecutorService leaseRenewals = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "delivery-lease-renewal");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running;

    DeliveryWorkers(ChannelRegistry channels, DeliveryQueue queue, DeliveryMetrics metrics,
            DeliveryProperties properties, Clock clock, TransactionTemplate transactions) {
        RetryBackoff backoff = new RetryBackoff(properties);
        for (Channel channel : channels.channels()) {
            workers.put(channel.name(), new ChannelWorker(channel, channels::channel, queue, metrics, properties,
                    backoff, clock, leaseRenewals, transactions));
        }
    }

    /** Called after a notification's deliveries are committed. */
    public void wake(Collection<String> channels) {
        channels.forEach(name -> {
            ChannelWorker worker = workers.get(name);
            if (worker != null) {
                worker.wake();
            }
        });
    }

    /** Channels whose worker thread is not running although the workers were started. */
    List<String> stoppedChannels() {
        if (!running) {
            return List.of();
        }
        return threads.entrySet().stream().filter(e -> !e.getValue().isAlive()).map(Map.Entry::getKey).toList();
    }

    @Override
    public void start() {
        workers.forEach((name, worker) -> {
            worker.resume(); // a stopped context may be started again (Spring's test-context pausing does)
            Thread thread = new Thread(worker, "delivery-" + name);
            thread.setDaemon(true);
            thread.start();
            threads.put(name, thread);
        });
        running = true;
        log.info("Delivery workers started for channels {}", workers.keySet());
    }

    @Override
    public void stop() {
        workers.values().forEach(ChannelWorker::stop);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread thread : threads.values()) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        running = false;
    }

    /** The lease renewals outlive a stop (a context may be started again); they end with the context. */
    @PreDestroy
    void close() {
        leaseRenewals.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop workers before the web server and the data source go away; start them after both exist. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }
}
