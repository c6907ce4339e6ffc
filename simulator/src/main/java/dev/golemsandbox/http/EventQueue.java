package dev.golemsandbox.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * A queue of events consumed by long-polling, as a demand's proposal events are: each event is
 * handed to one reader once. A reader waits up to its timeout for the first event, then takes
 * what is there (up to its maximum), if its client still waits ({@link PollReader#claim}): a
 * reader whose client has gone takes nothing, and the events stay first, in order, for the next.
 * After {@link #close} every waiting and later reader fails with the exception given there (the
 * demand was unsubscribed: 404).
 *
 * Thread-safe; waiting readers hold no thread: they wait on a {@link ChangeSignal}, so their
 * futures complete on the timer's threads (never under the caller's locks).
 */
public final class EventQueue<E> {

    private final ChangeSignal changes;
    private final ArrayDeque<E> events = new ArrayDeque<>();
    private Supplier<? extends RuntimeException> closedBy;

    public EventQueue(ScheduledExecutorService timer) {
        this.changes = new ChangeSignal(timer);
    }

    /** Adds an event, for the oldest waiting reader (or the next one). Ignored after close. */
    public void offer(E event) {
        synchronized (this) {
            if (closedBy != null) {
                return;
            }
            events.add(event);
        }
        changes.signal();
    }

    /** {@link #take(int, Duration, PollReader)} for a reader that is always there. */
    public CompletableFuture<List<E>> take(int max, Duration timeout) {
        return take(max, timeout, PollReader.PRESENT);
    }

    /**
     * Up to {@code max} events: at once if any are queued, else the first ones to arrive within
     * {@code timeout}, else none; none either if {@code reader} does not claim them. Cancelling
     * the answer withdraws the reader: it takes nothing afterwards.
     */
    public CompletableFuture<List<E>> take(int max, Duration timeout, PollReader reader) {
        return changes.await(() -> {
            synchronized (this) {
                if (closedBy != null) {
                    throw closedBy.get();
                }
                if (events.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(reader.claim() ? drain(max) : List.of());
            }
        }, timeout, List::of);
    }

    /** Fails every waiting and future {@link #take} with {@code reason}, and drops queued events. */
    public void close(Supplier<? extends RuntimeException> reason) {
        synchronized (this) {
            if (closedBy != null) {
                return;
            }
            closedBy = reason;
            events.clear();
        }
        changes.signal();
    }

    private List<E> drain(int max) {
        List<E> taken = new ArrayList<>(Math.min(max, events.size()));
        while (taken.size() < max && !events.isEmpty()) {
            taken.add(events.poll());
        }
        return taken;
    }
}
