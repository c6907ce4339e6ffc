package dev.golemsandbox.http;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One held request of a long-poll, from its wait to its answer: while it waits, it asks the
 * connection every {@link #WATCH_INTERVAL} whether the client has hung up (golem-js aborts polls,
 * requestor processes exit); if so it withdraws the wait, so the events it waited for go to the
 * client's next poll, and it never writes an answer for a client that is gone or into a response
 * Jetty has already ended. It is the {@link PollReader} of its poll for sources that consume events.
 *
 * <pre>{@code
 * LongPollExchange exchange = LongPollExchange.of(ctx, timer);
 * exchange.answer(queue.take(poll.maxEvents(), poll.timeout(), exchange), events -> Json.ok(ctx, events));
 * }</pre>
 *
 * States: waiting, then either claimed (the answer is written) or abandoned (nothing is written).
 * {@link #answer} is legal once, on the handler's thread. Thread-safe.
 */
public final class LongPollExchange implements PollReader {

    /** How often a waiting poll asks whether its client is still there: one non-blocking read. */
    static final Duration WATCH_INTERVAL = Duration.ofMillis(250);

    private enum State { WAITING, CLAIMED, ABANDONED }

    private final Context ctx;
    private final HangupProbe probe;
    private final ScheduledExecutorService timer;
    private final CompletableFuture<Void> handled = new CompletableFuture<>();
    private State state = State.WAITING;
    private CompletableFuture<?> wait;
    private ScheduledFuture<?> watch;

    private LongPollExchange(Context ctx, HangupProbe probe, ScheduledExecutorService timer) {
        this.ctx = ctx;
        this.probe = probe;
        this.timer = timer;
    }

    /** @param timer runs the checks of the connection */
    public static LongPollExchange of(Context ctx, ScheduledExecutorService timer) {
        return new LongPollExchange(ctx, HangupProbe.of(ctx), timer);
    }

    /**
     * Holds the request until {@code wait} completes, then answers with {@code respond} (or, if it
     * failed, with the error mapping's answer), unless the client has hung up by then.
     */
    public <T> void answer(CompletableFuture<T> wait, Consumer<T> respond) {
        ctx.future(() -> handled);
        // Javalin giving up on the request first (it cancels the future) withdraws the wait too.
        handled.whenComplete((ignored, error) -> {
            if (handled.isCancelled()) {
                abandon();
            }
        });
        synchronized (this) {
            this.wait = wait;
            this.watch = timer.scheduleWithFixedDelay(this::watch, WATCH_INTERVAL.toNanos(), WATCH_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
        }
        wait.whenComplete((value, error) -> finish(value, error, respond));
    }

    @Override
    public synchronized boolean claim() {
        if (state == State.WAITING) {
            state = handled.isDone() || probe.hungUp() ? State.ABANDONED : State.CLAIMED;
        }
        return state == State.CLAIMED;
    }

    private void watch() {
        boolean gone;
        synchronized (this) {
            gone = state == State.WAITING && probe.hungUp();
        }
        if (gone) {
            abandon();
        }
    }

    /** Outside this exchange's lock: cancelling waits for a running check, which may call {@link #claim}. */
    private void abandon() {
        CompletableFuture<?> withdrawn;
        synchronized (this) {
            if (state != State.WAITING) {
                return;
            }
            state = State.ABANDONED;
            withdrawn = wait;
        }
        if (withdrawn != null) {
            withdrawn.cancel(false);
        }
    }

    private <T> void finish(T value, Throwable error, Consumer<T> respond) {
        synchronized (this) {
            watch.cancel(false);
        }
        if (!claim()) {
            // Nobody to answer: end the request without touching the response.
            handled.complete(null);
        } else if (error != null) {
            handled.completeExceptionally(error);
        } else {
            try {
                respond.accept(value);
                handled.complete(null);
            } catch (RuntimeException e) {
                handled.completeExceptionally(e);
            }
        }
    }
}
