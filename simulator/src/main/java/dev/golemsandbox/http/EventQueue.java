package dev.golemsandbox.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A queue of events consumed by long-polling, as a demand's proposal events are: each event is
 * handed to one reader once. A reader waits up to its timeout for the first event, then takes
 * what is there (up to its maximum). After {@link #close} every waiting and later reader fails
 * with the exception given there (the demand was unsubscribed: 404).
 *
 * Thread-safe; waiting readers hold no thread, and their futures complete on the timer's threads
 * (never under the caller's locks).
 */
public final class EventQueue<E> {

    private record Waiter<E>(int max, CompletableFuture<List<E>> answer) {
    }

    private final ScheduledExecutorService timer;
    private final ArrayDeque<E> events = new ArrayDeque<>();
    private final List<Waiter<E>> waiters = new ArrayList<>();
    private Supplier<? extends RuntimeException> closedBy;

    public EventQueue(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Adds an event, handing it (with any others queued) to the oldest waiting reader. Ignored after close. */
    public void offer(E event) {
        Waiter<E> woken = null;
        List<E> taken = null;
        synchronized (this) {
            if (closedBy != null) {
                return;
            }
            events.add(event);
            if (!waiters.isEmpty()) {
                woken = waiters.remove(0);
                taken = drain(woken.max());
            }
        }
        if (woken != null) {
            Waiter<E> waiter = woken;
            List<E> answer = taken;
            timer.execute(() -> waiter.answer().complete(answer));
        }
    }

    /** Up to {@code max} events: at once if any are queued, else the first ones to arrive within {@code timeout}, else none. */
    public CompletableFuture<List<E>> take(int max, Duration timeout) {
        Waiter<E> waiter;
        synchronized (this) {
            if (closedBy != null) {
                return CompletableFuture.failedFuture(closedBy.get());
            }
            if (!events.isEmpty() || timeout.isZero()) {
                return CompletableFuture.completedFuture(drain(max));
            }
            waiter = new Waiter<>(max, new CompletableFuture<>());
            waiters.add(waiter);
        }
        timer.schedule(() -> expire(waiter), timeout.toNanos(), TimeUnit.NANOSECONDS);
        return waiter.answer();
    }

    /** Fails every waiting and future {@link #take} with {@code reason}, and drops queued events. */
    public void close(Supplier<? extends RuntimeException> reason) {
        List<Waiter<E>> all;
        synchronized (this) {
            if (closedBy != null) {
                return;
            }
            closedBy = reason;
            events.clear();
            all = new ArrayList<>(waiters);
            waiters.clear();
        }
        timer.execute(() -> all.forEach(w -> w.answer().completeExceptionally(reason.get())));
    }

    private void expire(Waiter<E> waiter) {
        boolean removed;
        synchronized (this) {
            removed = waiters.remove(waiter);
        }
        if (removed) {
            waiter.answer().complete(List.of());
        }
    }

    private List<E> drain(int max) {
        List<E> taken = new ArrayList<>(Math.min(max, events.size()));
        while (taken.size() < max && !events.isEmpty()) {
            taken.add(events.poll());
        }
        return taken;
    }
}
