package dev.golemsandbox.http;

import io.javalin.http.Context;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A long-poll's request, held open while the sandbox waits for its answer. Jetty may end the
 * exchange on its own (the server stopping, a connection that failed) and recycle the request:
 * writing to it afterwards throws. A held request hears of that end from the servlet's async
 * listener, withdraws its wait and, as the {@link PollReader} of an event source, claims nothing,
 * so consumed events stay for the next poll. An answer it has claimed it writes; if the exchange
 * ends during that write, the write is dropped without a word, since nobody is left to tell. A
 * client that merely closes its connection while the poll waits is not seen: Jetty does not read
 * an idle connection whose request it is handling.
 *
 * <p>Javalin's future for a request that ended this way is left pending: completing it would make
 * Javalin write (and, failing, run the error handlers on) a request that no longer exists. Nothing
 * refers to it once Jetty has recycled the request, so it is collected.
 *
 * <pre>{@code
 * ctx.future(() -> {
 *     HeldRequest held = HeldRequest.of(ctx);
 *     return held.answer(queue.take(max, timeout, held), events -> Json.ok(ctx, events));
 * });
 * }</pre>
 */
public final class HeldRequest implements PollReader {

    private enum State { WAITING, ANSWERING, ENDED }

    private final AtomicReference<State> state = new AtomicReference<>(State.WAITING);
    private volatile boolean hungUp;
    private volatile Future<?> wait;

    private HeldRequest() {
    }

    /**
     * The request of {@code ctx}, held: call it inside {@code ctx.future(...)}'s supplier, where
     * Javalin has started the request's asynchronous handling.
     */
    public static HeldRequest of(Context ctx) {
        HeldRequest held = new HeldRequest();
        ctx.req().getAsyncContext().addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                held.end();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                held.end();
            }

            @Override
            public void onError(AsyncEvent event) {
                held.end();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        return held;
    }

    /** True until Jetty has ended the exchange; once true, an answer is committed to this client. */
    @Override
    public boolean claim() {
        return state.compareAndSet(State.WAITING, State.ANSWERING) || state.get() == State.ANSWERING;
    }

    /** Whether Jetty ended the exchange before this request was answered. */
    public boolean abandoned() {
        return state.get() == State.ENDED;
    }

    /**
     * What to hand Javalin: {@code wait}'s value written by {@code write} once it comes, unless the
     * exchange ended first (then {@code wait} is cancelled and nothing is written). A failed wait
     * fails the answer, so the API's error mapping answers it.
     */
    public <T> CompletableFuture<Void> answer(CompletableFuture<T> wait, Consumer<T> write) {
        this.wait = wait;
        if (abandoned()) {
            wait.cancel(false);
        }
        CompletableFuture<Void> answered = new CompletableFuture<>();
        wait.whenComplete((value, error) -> {
            if (!claim()) {
                return;
            }
            if (error != null) {
                answered.completeExceptionally(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                return;
            }
            try {
                write.accept(value);
                answered.complete(null);
            } catch (IllegalStateException e) {
                if (!hungUp) {
                    answered.completeExceptionally(e);
                }
            }
        });
        return answered;
    }

    private void end() {
        hungUp = true;
        if (state.compareAndSet(State.WAITING, State.ENDED)) {
            Future<?> pending = wait;
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }
}
