package com.alertrelay.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.springframework.dao.QueryTimeoutException;

/**
 * Runs the work of concurrent callers together, in batches, on one committer thread: each caller hands in its
 * item and blocks until the batch holding it has been committed, then gets its own result or exception.
 *
 * <p>Why: a commit is the dominant cost of accepting a webhook (on either store it waits for an fsync of the
 * write-ahead log). When Alertmanager and its peers send
 * many notifications at once, one commit for all of them is far cheaper than one each, and no caller gets its
 * answer before its data is durable. A lone request is committed at once — the committer never waits to fill a
 * batch, so at low traffic this adds only a thread hand-over.
 *
 * <p>If a batch fails, each of its items is retried on its own, so one bad item cannot fail its neighbours.
 */
final class GroupCommit<T, R> {

    private record Pending<T, R>(T item, CompletableFuture<R> result) {
    }

    private final LinkedBlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
    private final Function<List<T>, List<R>> commitBatch;
    private final int maxBatch;
    private final Thread committer;
    private volatile boolean stopped;

    /**
     * @param commitBatch commits all items in one transaction and returns one result per item, in order; it
     *                    must leave nothing behind when it throws
     */
    GroupCommit(String name, int maxBatch, Function<List<T>, List<R>> commitBatch) {
        this.commitBatch = commitBatch;
        this.maxBatch = maxBatch;
        this.committer = new Thread(this::run, name);
        this.committer.setDaemon(true);
        this.committer.start();
    }

    /**
     * Blocks until {@code item} is committed (its result) or could not be (its exception, rethrown), at most
     * {@code timeout}: then a {@link QueryTimeoutException} (the store is stalled; the webhook answers 503 with
     * Retry-After). An item still queued at that moment is taken out, so it is never committed after its caller
     * was told it was not; one the committer is already writing may still commit — a retry of the same
     * notification is then answered as a duplicate.
     */
    R submit(T item, Duration timeout) {
        if (stopped) {
            throw new IllegalStateException("the store is shutting down");
        }
        Pending<T, R> pending = new Pending<>(item, new CompletableFuture<>());
        queue.add(pending);
        if (stopped && queue.remove(pending)) {
            // stopped meanwhile: the committer may already have failed what was queued and gone
            throw new IllegalStateException("the store is shutting down");
        }
        try {
            return pending.result().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            boolean neverStarted = queue.remove(pending);
            throw new QueryTimeoutException("the store did not commit within " + timeout
                    + (neverStarted ? " (not stored)" : " (may still be stored; a retry is answered as a duplicate)"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queue.remove(pending);
            throw new IllegalStateException("interrupted while waiting for the store", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Stops the committer after the batch it may be committing; whatever is still queued then fails instead of
     * waiting forever. The thread is not interrupted: a JDBC driver may close its connection or file when a thread is
     * interrupted in I/O.
     */
    void stop() {
        stopped = true;
    }

    private void run() {
        List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
        while (!stopped) {
            try {
                Pending<T, R> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, maxBatch - 1);
            commit(batch);
            batch.clear();
        }
        List<Pending<T, R>> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.result().completeExceptionally(new IllegalStateException("the store is shutting down")));
    }

    private void commit(List<Pending<T, R>> batch) {
        try {
            List<R> results = commitBatch.apply(batch.stream().map(Pending::item).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (Throwable batchFailure) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(batchFailure);
                return;
            }
            for (Pending<T, R> pending : batch) {
                try {
                    pending.result().complete(commitBatch.apply(List.of(pending.item())).get(0));
                } catch (Throwable itemFailure) {
                    pending.result().completeExceptionally(itemFailure);
                }
            }
        }
    }
}
