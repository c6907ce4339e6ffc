package dev.golemsandbox.activity;

import java.time.Instant;

/**
 * What one activity has used so far, measured, not estimated.
 *
 * <pre>{@code
 * double cpuSec = usage.counter("golem.usage.cpu_sec");
 * }</pre>
 *
 * @param activityId      the activity
 * @param agreementId     its agreement
 * @param durationSeconds wall time from creation to now, or to its destruction
 * @param cpuSeconds      CPU time its VM used (user + system of the VM process)
 * @param measuredAt      when these figures were taken
 * @param ended           whether the activity is destroyed, so the figures are final
 */
public record ActivityUsage(String activityId, String agreementId, double durationSeconds, double cpuSeconds,
                            Instant measuredAt, boolean ended) {

    /** The usage counter named by an offer's {@code golem.com.usage.vector} entry; 0 for one the sandbox does not count. */
    public double counter(String name) {
        return switch (name) {
            case "golem.usage.duration_sec" -> durationSeconds;
            case "golem.usage.cpu_sec" -> cpuSeconds;
            default -> 0;
        };
    }
}
