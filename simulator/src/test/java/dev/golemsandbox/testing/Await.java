package dev.golemsandbox.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition the code under test makes true on another thread, for the cases where
 * no event or future says when: polls with a short sleep, fails with what was awaited after a
 * deadline generous enough for a loaded 2-core machine.
 *
 * <pre>{@code
 * Await.until("the batch runs", () -> harness.state(id).toString().contains("Ready\",\"Ready"));
 * }</pre>
 */
public final class Await {

    /** Long enough that only a condition that never comes true fails, even on a busy CI host. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(20);

    private Await() {
    }

    /** Returns once {@code condition} holds; an AssertionError naming {@code what} after {@link #DEADLINE}. */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": not within " + DEADLINE.toSeconds() + " s");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }
}
