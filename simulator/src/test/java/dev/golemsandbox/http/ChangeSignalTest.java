package dev.golemsandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Waiting for a change: answered at once, after a signal, or at the timeout, and leaving nothing behind. */
class ChangeSignalTest {

    final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2);
    final ChangeSignal changes = new ChangeSignal(timer);

    ChangeSignalTest() {
        timer.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void aWaiterIsAnsweredAtOnceWhenTheStateIsAlreadyThere() {
        CompletableFuture<String> answer = changes.await(() -> Optional.of("there"), Duration.ofMinutes(1), () -> "late");

        assertThat(answer).isCompletedWithValue("there");
        assertThat(timer.getQueue()).as("no timeout task is left for an answered waiter").isEmpty();
    }

    @Test
    void aWaiterChecksAgainAfterEachSignalUntilItsStateComes() throws Exception {
        AtomicInteger value = new AtomicInteger();
        CompletableFuture<Integer> answer = changes.await(
                () -> value.get() >= 2 ? Optional.of(value.get()) : Optional.empty(), Duration.ofMinutes(1), () -> -1);

        value.set(1);
        changes.signal();
        value.set(2);
        changes.signal();

        assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(changes.waiting()).isZero();
    }

    @Test
    void timedOutWaitersLeaveNoCallbackAndNoTimerTaskBehind() throws Exception {
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            answers.add(changes.await(Optional::empty, Duration.ofMillis(20), () -> "timed out"));
        }
        for (CompletableFuture<String> answer : answers) {
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("timed out");
        }

        assertThat(changes.waiting()).as("waiters registered for the next change").isZero();
        assertThat(timer.getQueue()).as("timeout tasks still queued").isEmpty();
    }

    @Test
    void aConsumingCheckNeverLosesWhatItTookToAConcurrentTimeout() throws Exception {
        List<Integer> queue = new ArrayList<>();
        List<Integer> delivered = new ArrayList<>();
        int items = 2000;
        for (int i = 0; i < items; i++) {
            CompletableFuture<List<Integer>> answer = changes.await(() -> {
                synchronized (queue) {
                    if (queue.isEmpty()) {
                        return Optional.empty();
                    }
                    List<Integer> taken = new ArrayList<>(queue);
                    queue.clear();
                    return Optional.of(taken);
                }
            }, Duration.ofNanos(50_000), List::of);
            synchronized (queue) {
                queue.add(i);
            }
            changes.signal();
            delivered.addAll(answer.get(10, TimeUnit.SECONDS));
        }
        synchronized (queue) {
            delivered.addAll(queue);
        }

        assertThat(delivered).hasSize(items).doesNotHaveDuplicates();
    }

    @Test
    void aCancelledWaiterIsWithdrawnAndNeverChecksOrTimesOutAgain() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        CompletableFuture<String> answer = changes.await(() -> {
            checks.incrementAndGet();
            return Optional.empty();
        }, Duration.ofMinutes(1), () -> "timeout " + timeouts.incrementAndGet());

        assertThat(answer.cancel(false)).isTrue();
        changes.signal();

        assertThat(changes.waiting()).as("waiters registered for the next change").isZero();
        assertThat(timer.getQueue()).as("the timeout task of a cancelled waiter").isEmpty();
        timer.submit(() -> { }).get(10, TimeUnit.SECONDS);
        assertThat(checks).as("checks: only the first, none after the cancel").hasValue(1);
        assertThat(timeouts).hasValue(0);
    }

    @Test
    void aCancelDuringACheckWaitsForItAndFailsWhenTheCheckAnswered() throws Exception {
        CountDownLatch checking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger value = new AtomicInteger();
        CompletableFuture<Integer> answer = changes.await(() -> {
            if (value.get() == 0) {
                return Optional.empty();
            }
            checking.countDown();
            await(release);
            return Optional.of(value.get());
        }, Duration.ofMinutes(1), () -> -1);
        value.set(7);
        changes.signal();
        assertThat(checking.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Boolean> cancelled = CompletableFuture.supplyAsync(() -> answer.cancel(false));
        release.countDown();

        assertThat(cancelled.get(10, TimeUnit.SECONDS)).as("the check had answered: the value is not lost to the cancel").isFalse();
        assertThat(answer).isCompletedWithValue(7);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
