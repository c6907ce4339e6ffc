package dev.golemsandbox.activity;

import java.util.Optional;

/**
 * What activities used, as the activity API measures it (and reports at
 * {@code GET /activity/{id}/usage}); the providers' billing prices debit notes and invoices by
 * it, so both always agree. Implemented by {@link ActivityService}.
 *
 * <pre>{@code
 * double cpu = meter.usage(activityId).map(ActivityUsage::cpuSeconds).orElse(0.0);
 * }</pre>
 *
 * Called from any thread, also after the activity ended (then with its final usage).
 */
@FunctionalInterface
public interface UsageMeter {

    /** A meter for a sandbox without the activity API: it knows no activity, so only start prices are billed. */
    UsageMeter NONE = activityId -> Optional.empty();

    /** The activity's usage so far (final once it is destroyed), or empty for an unknown id. */
    Optional<ActivityUsage> usage(String activityId);
}
