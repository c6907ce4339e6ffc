package dev.golemsandbox.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A demand's proposal events: consumed once, waited for, and ended by unsubscribe. */
class EventQueueTest {

    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final EventQueue<String> queue = new EventQueue<>(timer);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void eventsAreHandedOutOnceUpToTheMaximum() {
        queue.offer("a");
        queue.offer("b");
        queue.offer("c");

        assertThat(queue.take(2, Duration.ZERO).join()).containsExactly("a", "b");
        assertThat(queue.take(10, Duration.ZERO).join()).containsExactly("c");
        assertThat(queue.take(10, Duration.ZERO).join()).isEmpty();
    }

    @Test
    void aWaitingReaderGetsTheNextEvent() {
        CompletableFuture<List<String>> waiting = queue.take(10, Duration.ofSeconds(30));
        assertThat(waiting).isNotDone();

        queue.offer("proposal");

        assertThat(waiting.join()).containsExactly("proposal");
    }

    @Test
    void aReaderWaitingWhenTheQueueClosesFailsWithTheReasonAsDoLaterOnes() {
        CompletableFuture<List<String>> waiting = queue.take(10, Duration.ofSeconds(30));

        queue.close(() -> new ApiException.NotFound("demand d was unsubscribed"));

        assertThatThrownBy(waiting::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ApiException.NotFound.class).hasMessageContaining("demand d was unsubscribed");
        assertThatThrownBy(() -> queue.take(10, Duration.ZERO).join()).hasCauseInstanceOf(ApiException.NotFound.class);
    }

    @Test
    void aReaderWhoseClientHasGoneTakesNothingAndTheEventsStayFirstInOrder() {
        queue.offer("a");
        queue.offer("b");

        assertThat(queue.take(10, Duration.ZERO, () -> false).join()).as("a reader that does not claim").isEmpty();
        queue.offer("c");

        assertThat(queue.take(10, Duration.ZERO).join()).containsExactly("a", "b", "c");
    }

    @Test
    void aWaitingReaderWhoseClientHasGoneLeavesTheNextEventToTheNextReader() {
        AtomicBoolean present = new AtomicBoolean(true);
        CompletableFuture<List<String>> abandoned = queue.take(10, Duration.ofSeconds(30), present::get);
        present.set(false);

        queue.offer("draft");

        assertThat(abandoned.join()).isEmpty();
        assertThat(queue.take(10, Duration.ZERO).join()).containsExactly("draft");
    }

    @Test
    void aCancelledReaderTakesNothing() {
        CompletableFuture<List<String>> cancelled = queue.take(10, Duration.ofSeconds(30));
        cancelled.cancel(false);

        queue.offer("draft");

        assertThat(queue.take(10, Duration.ofSeconds(10)).join()).containsExactly("draft");
    }
}
