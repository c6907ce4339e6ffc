package dev.golemsandbox.market;

import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.http.IsoTime;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An agreement between the requestor and one provider, made from the provider's Draft answer to
 * the requestor's counter-proposal. Its state changes only through {@link Market}; the accessors
 * here may be read from any thread (a {@link ProviderPolicy} reads them under the market's lock,
 * the providers' billing after it).
 */
public final class Agreement implements RentedAgreement {

    private final Market market;
    private final String id;
    private final Proposal counter;
    private final Proposal draft;
    private final Instant validTo;
    private final Instant timestamp;
    private final Resources resources;
    private final CompletableFuture<AgreementState> settled = new CompletableFuture<>();
    private final CompletableFuture<String> terminated = new CompletableFuture<>();
    private final Set<String> activities = new LinkedHashSet<>();
    private volatile AgreementState state = AgreementState.Proposal;
    private volatile Instant approvedDate;
    private volatile String appSessionId;
    private volatile String endReason;
    private String runningActivity;
    private Instant idleSince;

    Agreement(Market market, String id, Proposal counter, Proposal draft, Instant validTo, Instant timestamp) {
        this.market = market;
        this.id = id;
        this.counter = counter;
        this.draft = draft;
        this.validTo = validTo;
        this.timestamp = timestamp;
        this.resources = draft.provider.resourcesFor(draft.properties);
    }

    @Override
    public String agreementId() {
        return id;
    }

    @Override
    public ProviderNode provider() {
        return draft.provider;
    }

    @Override
    public Resources resources() {
        return resources;
    }

    @Override
    public Map<String, Object> demandProperties() {
        return counter.properties;
    }

    /** The provider's side as agreed: its Draft proposal's properties. */
    public Map<String, Object> offerProperties() {
        return draft.properties;
    }

    @Override
    public List<String> usageVector() {
        Object vector = draft.properties.get("golem.com.usage.vector");
        return vector instanceof List<?> names ? names.stream().map(String::valueOf).toList() : List.of();
    }

    @Override
    public String taskPackage() {
        Object value = counter.properties.get("golem.srv.comp.task_package");
        return value == null ? null : value.toString();
    }

    @Override
    public String requestorId() {
        return counter.demand.requestorId;
    }

    public AgreementState state() {
        return state;
    }

    /** The app session given at confirm, or null. */
    public String appSessionId() {
        return appSessionId;
    }

    /** Why the agreement ended (terminated, rejected, cancelled, expired), or null while it lives. */
    public String endReason() {
        return endReason;
    }

    /** Every activity started under the agreement, in order. */
    public List<String> activityIds() {
        synchronized (market) {
            return new ArrayList<>(activities);
        }
    }

    @Override
    public void activityStarted(String activityId) {
        market.activityStarted(this, activityId);
    }

    @Override
    public void activityStopped(String activityId) {
        market.activityStopped(this, activityId);
    }

    @Override
    public CompletableFuture<String> whenTerminated() {
        return terminated.copy();
    }

    AgreementView view() {
        return new AgreementView(id,
                new AgreementView.DemandSide(counter.properties, counter.constraints, counter.demand.id,
                        counter.demand.requestorId, IsoTime.format(counter.timestamp)),
                new AgreementView.OfferSide(draft.properties, draft.constraints, draft.provider.offerId(),
                        draft.provider.nodeId(), IsoTime.format(draft.timestamp)),
                IsoTime.format(validTo),
                approvedDate == null ? null : IsoTime.format(approvedDate),
                state.name(), IsoTime.format(timestamp), appSessionId);
    }

    Instant validTo() {
        return validTo;
    }

    Instant timestamp() {
        return timestamp;
    }

    /** The demand's {@code golem.srv.comp.expiration} (epoch milliseconds), after which the provider ends the agreement; null if absent. */
    public Instant expiration() {
        Object value = counter.properties.get("golem.srv.comp.expiration");
        try {
            return value == null ? null : Instant.ofEpochMilli(new BigDecimal(value.toString()).longValueExact());
        } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
            return null;
        }
    }

    /** When the provider approved it, or null while it is not approved. */
    public Instant approvedDate() {
        return approvedDate;
    }

    CompletableFuture<AgreementState> settled() {
        return settled;
    }

    /** Legal in Proposal. Called under the market's lock. */
    void confirm(String session) {
        appSessionId = session;
        state = AgreementState.Pending;
    }

    /** Legal in Pending. Called under the market's lock. */
    void approve(Instant when) {
        approvedDate = when;
        idleSince = when;
        state = AgreementState.Approved;
        settled.complete(state);
    }

    /** Moves to a final state. Called under the market's lock; see {@link #announceTermination()}. */
    void end(AgreementState finalState, String reason) {
        state = finalState;
        endReason = reason;
        runningActivity = null;
        settled.complete(finalState);
    }

    /**
     * Completes {@link #whenTerminated()} once the agreement is Terminated. Called by the market
     * after releasing its lock, as the activity API reacts by stopping VMs.
     */
    void announceTermination() {
        if (state == AgreementState.Terminated) {
            terminated.complete(endReason);
        }
    }

    /**
     * Since when no activity runs under the Approved agreement (its approval, or the end of its
     * last activity); null while one runs or before approval. Read under the market's lock (a
     * {@link ProviderPolicy} deciding whether to break it).
     */
    public Instant idleSince() {
        return idleSince;
    }

    /** Called under the market's lock. */
    String runningActivity() {
        return runningActivity;
    }

    /** Called under the market's lock. */
    void run(String activityId) {
        runningActivity = activityId;
        idleSince = null;
        activities.add(activityId);
    }

    /** Called under the market's lock. Whether {@code activityId} was the running one. */
    boolean stop(String activityId) {
        if (activityId.equals(runningActivity)) {
            runningActivity = null;
            idleSince = IsoTime.now();
            return true;
        }
        return false;
    }
}
