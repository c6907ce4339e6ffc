package dev.golemsandbox.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one way the sandbox waits for "something changed": long-polls of event feeds and batch
 * results, and event streams. Whoever changes a state calls {@link #signal()} after the change;
 * whoever waits calls {@link #await} with a check of the state it waits for.
 *
 * <pre>{@code
 * ChangeSignal changes = new ChangeSignal(timer);
 * CompletableFuture<List<Event>> answer = changes.await(() -> eventsAfter(cursor), timeout, List::of);
 * ...
 * events.add(event);
 * changes.signal();
 * }</pre>
 *
 * <p>Checks never run on the signalling thread: they run on the timer's threads, so a caller may
 * signal while holding its own lock without running (or writing HTTP responses for) a waiter
 * under it. A waiter that times out, is answered or is cancelled (its client has gone) leaves
 * nothing behind: no callback, no timer task. Thread-safe.
 */
public final class ChangeSignal {

    private final ScheduledExecutorService timer;
    private final Set<Waiter<?>> waiting = new LinkedHashSet<>();

    /** @param timer runs the checks after a change and the timeouts */
    public ChangeSignal(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Wakes every waiter: each checks again, on the timer's threads. */
    public void signal() {
        List<Waiter<?>> woken;
        synchronized (this) {
            if (waiting.isEmpty()) {
                return;
            }
            woken = new ArrayList<>(waiting);
            waiting.clear();
        }
        for (Waiter<?> waiter : woken) {
            timer.execute(waiter::attempt);
        }
    }

    /**
     * Completes with the value of {@code check} as soon as it has one: checked at once, then after
     * every signal, until {@code timeout} passes; then with {@code onTimeout}'s value. A check that
     * throws completes the answer exceptionally. {@code check} and {@code onTimeout} of one waiter
     * never run at the same time, so a check may consume what it returns (a queue's events) without
     * losing it to a concurrent timeout. Cancelling the answer withdraws the waiter; a cancel that
     * comes while a check runs waits for it, and fails if the check answered.
     */
    public <T> CompletableFuture<T> await(Supplier<Optional<T>> check, Duration timeout, Supplier<T> onTimeout) {
        Waiter<T> waiter = new Waiter<>(check, onTimeout);
        waiter.attempt();
        if (!waiter.answer.isDone()) {
            waiter.expiry(timer.schedule(waiter::expire, timeout.toNanos(), TimeUnit.NANOSECONDS));
        }
        return waiter.answer;
    }

    /** How many waiters wait for the next change (for tests of boundedness). */
    public synchronized int waiting() {
        return waiting.size();
    }

    private synchronized void register(Waiter<?> waiter) {
        waiting.add(waiter);
    }

    private synchronized void unregister(Waiter<?> waiter) {
        waiting.remove(waiter);
    }

    private final class Waiter<T> {
        final Supplier<Optional<T>> check;
        final Supplier<T> onTimeout;
        final CompletableFuture<T> answer = new Answer();
        ScheduledFuture<?> expiry;

        Waiter(Supplier<Optional<T>> check, Supplier<T> onTimeout) {
            this.check = check;
            this.onTimeout = onTimeout;
        }

        /** Registers before checking, so a change made during the check wakes it again. */
        synchronized void attempt() {
            if (answer.isDone()) {
                return;
            }
            register(this);
            try {
                Optional<T> value = check.get();
                if (value.isPresent()) {
                    finish();
                    answer.complete(value.get());
                }
            } catch (RuntimeException e) {
                finish();
                answer.completeExceptionally(e);
            }
        }

        synchronized void expire() {
            if (!answer.isDone()) {
                unregister(this);
                try {
                    answer.complete(onTimeout.get());
                } catch (RuntimeException e) {
                    answer.completeExceptionally(e);
                }
            }
        }

        synchronized void expiry(ScheduledFuture<?> scheduled) {
            if (answer.isDone()) {
                scheduled.cancel(false);
            } else {
                expiry = scheduled;
            }
        }

        private void finish() {
            unregister(this);
            if (expiry != null) {
                expiry.cancel(false);
            }
        }

        /** Cancels under the waiter's lock, so a check cannot consume a value that nobody would get. */
        private final class Answer extends CompletableFuture<T> {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                synchronized (Waiter.this) {
                    boolean cancelled = super.cancel(mayInterruptIfRunning);
                    if (cancelled) {
                        finish();
                    }
                    return cancelled;
                }
            }
        }
    }
}
