package dev.golemsandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
}
