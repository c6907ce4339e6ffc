package dev.golemsandbox.activity;

import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.VmRuntime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An approved agreement as the activity API needs it: the provider's runtime and VM size, the
 * image the requestor asked for, and the hooks that keep the market (the provider's capacity)
 * and payment in step with the activities created on it.
 *
 * <p>Rules: {@link #activityStarted} is called before an activity is created, and
 * {@link #activityStopped} exactly once for each started activity, as soon as it is destroyed.
 * When {@link #whenTerminated} completes, every activity of the agreement is destroyed.
 *
 * <pre>{@code
 * ActivityAgreement agreement = agreementSource.approved(agreementId);   // the composition root adapts the market's view
 * agreement.activityStarted(activityId);
 * }</pre>
 */
public interface ActivityAgreement {

    String agreementId();

    /** The provider's {@code golem.node.id.name}, for log lines. */
    String providerName();

    /** The provider's node id ({@code 0x...}): its VM's identity in a VPN. */
    String providerId();

    /** The provider's runtime: each activity gets its own exe-unit from it. */
    VmRuntime runtime();

    /** The VM size: the offer's {@code golem.inf.cpu.threads}, {@code golem.inf.mem.gib}, {@code golem.inf.storage.gib}. */
    Resources resources();

    /** The demand's {@code golem.srv.comp.task_package} ({@code hash:sha3:<hash>:<url>}), if it has one. */
    Optional<String> taskPackage();

    /** The outbound access the provider granted by accepting the demand's manifest; empty: none. */
    default Optional<OutboundGrant> outbound() {
        return Optional.empty();
    }

    /** The offer's {@code golem.com.usage.vector}, e.g. {@code ["golem.usage.cpu_sec","golem.usage.duration_sec"]}. */
    List<String> usageVector();

    /**
     * An activity is about to be created on the agreement. To refuse it (the provider runs as many
     * activities as it can, the agreement ended), throw an HTTP exception (e.g. a 409) with the reason.
     */
    void activityStarted(String activityId);

    /** The activity is destroyed. Called once per started activity. */
    void activityStopped(String activityId);

    /** Completes (with the reason) when the agreement is terminated by either side. */
    CompletableFuture<String> whenTerminated();
}
