package dev.golemsandbox.reserve;

import java.time.Duration;

/**
 * Counts the work someone is waiting for (a VM booting for an activity, a command running in one),
 * so that filling the reserve, which nobody waits for, happens only in the quiet between.
 *
 * <pre>{@code
 * Runnable done = work.begin();
 * try { ... } finally { done.run(); }
 * }</pre>
 */
public final class ForegroundWork {

    private int running;
    private long lastEnd = System.nanoTime();

    /** Marks the start of a piece of work; run the returned action once when it ends. */
    public synchronized Runnable begin() {
        running++;
        boolean[] ended = {false};
        return () -> {
            synchronized (this) {
                if (!ended[0]) {
                    ended[0] = true;
                    running--;
                    lastEnd = System.nanoTime();
                    notifyAll();
                }
            }
        };
    }

    /** How many pieces of work are under way. */
    public synchronized int running() {
        return running;
    }

    /** Returns once nothing has been under way for {@code quiet}. */
    synchronized void awaitQuiet(Duration quiet) throws InterruptedException {
        for (;;) {
            if (running > 0) {
                wait();
                continue;
            }
            long left = quiet.toNanos() - (System.nanoTime() - lastEnd);
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
