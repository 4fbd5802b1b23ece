package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;

class GroupCommitTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ExecutorService callers = Executors.newFixedThreadPool(8);
    private final CountDownLatch firstCommitStarted = new CountDownLatch(1);
    private final CountDownLatch releaseFirstCommit = new CountDownLatch(1);
    private final List<List<String>> commits = Collections.synchronizedList(new ArrayList<>());
    private GroupCommit<String, String> groupCommit;

    /**
     * A commit that records each batch, holds the first one until {@code releaseFirstCommit}, checks each batch
     * with {@code check} (which may throw) and answers "stored x" for each item x.
     */
    private Function<List<String>, List<String>> holdingTheFirstCommit(UnaryOperator<List<String>> check) {
        return batch -> {
            commits.add(batch);
            if (commits.size() == 1) {
                firstCommitStarted.countDown();
                await(releaseFirstCommit);
            }
            return check.apply(batch).stream().map(item -> "stored " + item).toList();
        };
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
        if (groupCommit != null) {
            groupCommit.stop();
        }
    }

    @Test
    void callersArrivingDuringACommitShareTheNextOneAndEachGetsItsOwnResult() throws Exception {
        groupCommit = new GroupCommit<>("test-commit", 64, holdingTheFirstCommit(batch -> batch));

        Future<String> first = callers.submit(() -> groupCommit.submit("a", WAIT));
        await(firstCommitStarted);
        List<Future<String>> others = new ArrayList<>();
        for (String item : List.of("b", "c", "d", "e", "f")) {
            others.add(callers.submit(() -> groupCommit.submit(item, WAIT)));
        }
        Thread.sleep(200); // let all five queue up behind the first commit
        assertThat(others).noneMatch(Future::isDone);
        releaseFirstCommit.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("stored a");
        List<String> results = new ArrayList<>();
        for (Future<String> other : others) {
            results.add(other.get(5, TimeUnit.SECONDS));
        }
        assertThat(results).containsExactly("stored b", "stored c", "stored d", "stored e", "stored f");
        assertThat(commits).hasSize(2);
        assertThat(commits.get(1)).containsExactlyInAnyOrder("b", "c", "d", "e", "f");
    }

    @Test
    void aBatchThatFailsIsRetriedItemByItemSoOnlyTheBadItemFails() throws Exception {
        groupCommit = new GroupCommit<>("test-commit", 64, holdingTheFirstCommit(batch -> {
            if (batch.contains("bad")) {
                throw new IllegalArgumentException("cannot store bad");
            }
            return batch;
        }));
        Future<String> first = callers.submit(() -> groupCommit.submit("first", WAIT));
        await(firstCommitStarted);
        Future<String> good1 = callers.submit(() -> groupCommit.submit("good1", WAIT));
        Future<String> bad = callers.submit(() -> groupCommit.submit("bad", WAIT));
        Future<String> good2 = callers.submit(() -> groupCommit.submit("good2", WAIT));
        Thread.sleep(200);
        releaseFirstCommit.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("stored first");
        assertThat(good1.get(5, TimeUnit.SECONDS)).isEqualTo("stored good1");
        assertThat(good2.get(5, TimeUnit.SECONDS)).isEqualTo("stored good2");
        assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasRootCauseMessage("cannot store bad");
        assertThat(commits.get(1)).hasSize(3); // tried together first
    }

    @Test
    void theCallersOwnExceptionIsRethrownUnwrapped() {
        groupCommit = new GroupCommit<>("test-commit", 64, batch -> {
            throw new IllegalStateException("database unavailable");
        });
        assertThatThrownBy(() -> groupCommit.submit("x", WAIT)).isInstanceOf(IllegalStateException.class)
                .hasMessage("database unavailable");
    }

    @Test
    void aStalledStoreTimesTheCallerOutAndNeverCommitsWhatWasStillQueued() throws Exception {
        groupCommit = new GroupCommit<>("test-commit", 64, holdingTheFirstCommit(batch -> batch));
        Future<String> stalled = callers.submit(() -> groupCommit.submit("a", WAIT));
        await(firstCommitStarted);

        assertThatThrownBy(() -> groupCommit.submit("b", Duration.ofMillis(200)))
                .isInstanceOf(QueryTimeoutException.class).hasMessageContaining("not stored");
        releaseFirstCommit.countDown();

        assertThat(stalled.get(5, TimeUnit.SECONDS)).isEqualTo("stored a");
        assertThat(groupCommit.submit("c", WAIT)).isEqualTo("stored c");
        assertThat(commits).extracting(batch -> batch).containsExactly(List.of("a"), List.of("c"));
    }

    @Test
    void afterStopNothingWaitsForever() {
        groupCommit = new GroupCommit<>("test-commit", 64, batch -> batch);
        groupCommit.stop();
        assertThatThrownBy(() -> groupCommit.submit("x", WAIT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shutting down");
    }

    @Test
    void stoppingFinishesTheBatchUnderWayAndFailsWhatIsStillQueued() throws Exception {
        groupCommit = new GroupCommit<>("test-commit", 64, holdingTheFirstCommit(batch -> batch));
        Future<String> underWay = callers.submit(() -> groupCommit.submit("a", WAIT));
        await(firstCommitStarted);
        Future<String> queued = callers.submit(() -> groupCommit.submit("b", WAIT));
        Thread.sleep(200);

        groupCommit.stop();
        releaseFirstCommit.countDown();

        assertThat(underWay.get(5, TimeUnit.SECONDS)).isEqualTo("stored a");
        assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("the store is shutting down");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
