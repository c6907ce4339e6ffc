package dev.golemsandbox.payment;

/**
 * What one activity has used so far, in the units of the offers' usage vector.
 *
 * @param activityId      the activity
 * @param cpuSeconds      {@code golem.usage.cpu_sec}: CPU time its VM used
 * @param durationSeconds {@code golem.usage.duration_sec}: wall time from creation to destruction (or now)
 */
public record ActivityUsage(String activityId, double cpuSeconds, double durationSeconds) {

    public ActivityUsage {
        if (!(cpuSeconds >= 0) || !(durationSeconds >= 0)) {
            throw new IllegalArgumentException("usage cannot be negative: cpu " + cpuSeconds + " s, duration " + durationSeconds + " s");
        }
    }
}
