package dev.golemsandbox.market;

/**
 * A provider's agreement slots as the market counts them: how many Approved agreements it holds
 * at once, and how many it holds now.
 *
 * <pre>{@code
 * boolean proposes = demand.matches() && slots.anyFree();
 * }</pre>
 */
public record Slots(int capacity, int inUse) {

    /** Whether it can take one more agreement. */
    public boolean anyFree() {
        return inUse < capacity;
    }
}
