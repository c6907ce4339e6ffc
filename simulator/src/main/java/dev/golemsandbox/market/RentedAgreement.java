package dev.golemsandbox.market;

import dev.golemsandbox.exeunit.Resources;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An approved agreement as the activity API uses it: which provider runs the activities (and its
 * VM runtime), how big their VM is, what the requestor asked for, and the hooks that keep the
 * provider's capacity and its billing (debit notes, invoice) in step with the activities.
 *
 * <p>Rules for the activity API: call {@link #activityStarted} before making the activity's VM and
 * {@link #activityStopped} exactly once for each successful start, as soon as the activity is
 * Terminated for the requestor (destroyed, or its VM died). Stop every activity of the agreement
 * when {@link #whenTerminated} completes.
 */
public interface RentedAgreement {

    String agreementId();

    /** The requestor's node id (as in {@code gftp://<requestor id>/...} transfer URLs). */
    String requestorId();

    /** The provider of the agreement; {@code provider().runtime()} makes the activities' VMs. */
    ProviderNode provider();

    /** The VM size agreed: {@code golem.inf.cpu.threads}, {@code mem.gib} and {@code storage.gib} of the offer. */
    Resources resources();

    /** The requestor's demand properties as agreed (flat dotted names). */
    Map<String, Object> demandProperties();

    /**
     * The offer's {@code golem.com.usage.vector} as agreed, e.g.
     * {@code ["golem.usage.cpu_sec", "golem.usage.duration_sec"]}: the order of usage counters in
     * {@code GET /activity/{id}/usage} and in debit notes; empty if the offer names none.
     */
    List<String> usageVector();

    /** {@code golem.srv.comp.task_package} of the demand ({@code hash:sha3:<hex>:<url>}), or null if it has none. */
    String taskPackage();

    /**
     * Records that the activity {@code activityId} starts under this agreement. Legal while the
     * agreement is Approved and runs no other activity (a provider runs one VM per agreement).
     *
     * @throws dev.golemsandbox.http.ApiException.Conflict if another activity is running
     * @throws dev.golemsandbox.http.ApiException.Gone if the agreement is no longer Approved
     */
    void activityStarted(String activityId);

    /** Records that the activity has ended. Idempotent; legal in any state of the agreement. */
    void activityStopped(String activityId);

    /**
     * Completes with the reason when the agreement is terminated, by either side. Dependent actions
     * run on the terminating thread (a request or the market's housekeeping), outside the market's
     * lock: hand slow work (stopping a VM) to your own executor.
     */
    CompletableFuture<String> whenTerminated();
}
