package dev.golemsandbox.activity;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Failures injected into activities on request, asked at the points where a provider's exe-unit
 * can fail: before each command, once the VM is Ready, while a result stream is open, and as a
 * transfer moves bytes to or from the requestor. The
 * composition root plugs in the sandbox's fault book; {@link #NONE} injects nothing.
 */
public interface ActivityFaults {

    ActivityFaults NONE = new ActivityFaults() { };

    /** How long command {@code index} ({@code command}: its ExeScript name) waits before it runs. */
    default Duration delayBefore(String provider, String activityId, int index, String command) {
        return Duration.ZERO;
    }

    /** Whether the VM dies as command {@code index} begins. */
    default boolean crashesAt(String provider, String activityId, int index, String command) {
        return false;
    }

    /** How long after becoming Ready the VM dies, if it does. */
    default Optional<Duration> crashAfterStart(String provider, String activityId) {
        return Optional.empty();
    }

    /** Whether a result stream of the activity is cut after its first event. */
    default boolean dropsStream(String provider, String activityId) {
        return false;
    }

    /**
     * After how many bytes a {@code transfer} that crosses the requestor's end (gftp, http) breaks
     * off, if it does; asked once per such transfer.
     */
    default OptionalLong transferBreaksAfter(String provider, String activityId) {
        return OptionalLong.empty();
    }

    /** Whether the VM's disk is full for the command about to run; asked before each command. */
    default boolean diskFull(String provider, String activityId) {
        return false;
    }
}
