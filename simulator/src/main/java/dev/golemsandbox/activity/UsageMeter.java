package dev.golemsandbox.activity;

import java.util.List;
import java.util.Optional;

/**
 * Usage figures for payment: debit notes while activities run, the invoice after the agreement
 * ends. Implemented by {@link ActivityService}.
 *
 * <pre>{@code
 * double cpu = meter.usage(activityId).map(ActivityUsage::cpuSeconds).orElse(0.0);
 * }</pre>
 */
public interface UsageMeter {

    /** The ids of every activity created on the agreement, oldest first (destroyed ones included). */
    List<String> activityIds(String agreementId);

    /** The activity's usage so far (final once it is destroyed), or empty for an unknown id. */
    Optional<ActivityUsage> usage(String activityId);
}
