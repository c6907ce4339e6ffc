package dev.golemsandbox.payment;

/**
 * Where the payment side learns what activities used, to price debit notes and invoices. The
 * activity API implements it with the usage it measures (and reports at
 * {@code GET /activity/{id}/usage}), so both always agree.
 *
 * <pre>{@code
 * UsageSource usage = activityId -> new ActivityUsage(activityId, vm.cpuSeconds(), activity.age().toMillis() / 1000.0);
 * }</pre>
 *
 * Called from any thread, also after the activity ended (then with its final usage).
 */
@FunctionalInterface
public interface UsageSource {

    /** A source for a sandbox without the activity API: nothing is ever used, so only start prices are billed. */
    UsageSource NONE = activityId -> new ActivityUsage(activityId, 0, 0);

    /** The usage of {@code activityId} so far; zero usage for an activity it does not know. */
    ActivityUsage usageOf(String activityId);
}
