package dev.golemsandbox.market;

import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.EventQueue;
import dev.golemsandbox.http.Ids;
import dev.golemsandbox.http.IsoTime;
import dev.golemsandbox.http.LongPoll;
import dev.golemsandbox.http.PollReader;
import dev.golemsandbox.manifest.DemandManifest;
import dev.golemsandbox.manifest.InvalidManifestException;
import dev.golemsandbox.market.constraint.Constraint;
import dev.golemsandbox.market.constraint.PropertySet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market of the sandbox: the requestor's demands, the providers' offers, the negotiations
 * between them ({@link Negotiations}) and the agreements they lead to ({@link AgreementBook}), as
 * a yagna daemon with a few providers on the network would run them for golem-js. What a
 * provider decides on the way is its {@link ProviderPolicy}'s business.
 *
 * <p>Negotiation: on subscribe, every provider whose policy is willing (the standard one: its offer
 * matches the demand and it has a free slot) sends an Initial proposal. The requestor counters it;
 * the provider answers at once with a Draft ({@code prevProposalId} = the counter) or rejects the
 * counter saying why (that event comes {@link Negotiations#REJECTION_DELAY} later, as over a
 * network). An agreement is created from the Draft, confirmed, and approved or rejected
 * by the provider at once. When an agreement ends, its provider is asked again about every
 * waiting demand, so a requestor waiting for a provider is never left without proposals.
 *
 * <p>Housekeeping (every second): agreements not approved by {@code validTo} expire; the provider
 * breaks the approved agreements its policy wants to end (the standard one: once the demand's
 * {@code golem.srv.comp.expiration} has passed, or when no activity ran for its
 * {@link ProviderTimeouts#noActivity()}) and those of a requestor session that stopped polling for
 * events for its {@link ProviderTimeouts#requestorUnreachable()} (see {@link RequestorSessions}),
 * each with ya-provider's {@link BreakReason}; its billing breaks those whose debit notes are not
 * accepted ({@link #breakAgreement}).
 *
 * <pre>{@code
 * Market market = new Market(providers.all(), requestorId, sessions, timer);
 * market.addListener(billing);
 * String demandId = market.subscribe(properties, "(&(golem.runtime.name=vm))");
 * List<ProviderMatch> why = market.explain(demandId);   // the near miss, per provider
 * }</pre>
 *
 * <p>Thread-safe: state is guarded by this object's lock; listeners and event readers are called
 * outside it. Every call may be made until {@link #close()}; calls on one agreement are legal in
 * the states their javadoc names and otherwise throw {@link ApiException} (409 not yet, 410 no
 * more).
 */
public final class Market implements AgreementLookup, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Market.class);

    private final List<ProviderNode> providers;
    private final RequestorSessions sessions;
    private final AgreementBook agreements;
    private final Negotiations negotiations;
    private final OfferScans scans;
    private final List<AgreementListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledFuture<?> housekeeping;

    /**
     * @param providers      the provider nodes on the market
     * @param requestorId    the requestor's node id ({@code /me})
     * @param sessions       the liveness of requestor sessions, judged by their event polls
     * @param timer          runs long-poll timeouts, event delivery and housekeeping
     */
    public Market(List<? extends ProviderNode> providers, String requestorId, RequestorSessions sessions,
                  ScheduledExecutorService timer) {
        this.providers = List.copyOf(providers);
        this.sessions = sessions;
        this.agreements = new AgreementBook(timer);
        this.negotiations = new Negotiations(this.providers, requestorId, timer, agreements::slotsOf);
        this.scans = new OfferScans(this.providers, timer);
        this.housekeeping = timer.scheduleWithFixedDelay(this::housekeeping, 1, 1, TimeUnit.SECONDS);
    }

    /** Adds a listener told about approvals, activities and terminations (the providers' billing). */
    public void addListener(AgreementListener listener) {
        listeners.add(listener);
    }

    // ---------------------------------------------------------------- demands and proposals

    /**
     * Subscribes a demand and lets every willing provider propose.
     *
     * @return the subscription id
     * @throws ApiException.BadRequest if the constraints do not parse, or the demand carries a
     *         computation manifest that cannot be used (every provider would reject it, and the
     *         requestor would wait for offers that never come)
     */
    public String subscribe(Map<String, Object> properties, String constraintsText) {
        Constraint constraints = Negotiations.parse(constraintsText);
        try {
            DemandManifest.of(properties, Instant.now());
        } catch (InvalidManifestException e) {
            throw new ApiException.BadRequest("invalid manifest: " + e.getMessage());
        }
        synchronized (this) {
            return negotiations.subscribe(properties, constraintsText, constraints);
        }
    }

    /** Ends a subscription; its pending and later event polls answer 404. */
    public synchronized void unsubscribe(String demandId) {
        negotiations.unsubscribe(demandId);
    }

    /** The subscribed demands. */
    public synchronized List<DemandView> demands() {
        return negotiations.demands();
    }

    /** Long-polls the proposal events of a demand; they are consumed, by {@code reader} only if it claims them. */
    public CompletableFuture<List<ProposalEvent>> proposalEvents(String demandId, int maxEvents, Duration timeout, PollReader reader) {
        EventQueue<ProposalEvent> queue;
        synchronized (this) {
            queue = negotiations.events(demandId);
        }
        return queue.take(maxEvents, timeout, reader);
    }

    /**
     * The requestor's counter-proposal to a provider's open proposal. The provider answers at once
     * with a Draft event, or with a ProposalRejectedEvent saying why.
     *
     * @return the counter-proposal's id
     */
    public String counter(String demandId, String proposalId, Map<String, Object> properties, String constraintsText) {
        Constraint constraints = Negotiations.parse(constraintsText);
        synchronized (this) {
            return negotiations.counter(demandId, proposalId, properties, constraintsText, constraints);
        }
    }

    /** A proposal of the demand's negotiations (the provider's or the requestor's). */
    public synchronized ProposalView proposal(String demandId, String proposalId) {
        return negotiations.proposal(demandId, proposalId);
    }

    /** Rejects a provider's open proposal: that negotiation ends. */
    public synchronized void reject(String demandId, String proposalId) {
        negotiations.reject(demandId, proposalId);
    }

    // ---------------------------------------------------------------- scans

    /**
     * Begins a scan of the offers whose properties satisfy {@code constraintsText} (null or blank:
     * every offer); a scan nobody reads for {@code timeout} is dropped.
     *
     * @return the scan's id
     * @throws ApiException.BadRequest if the constraints do not parse
     */
    public String beginScan(String constraintsText, Duration timeout) {
        Constraint constraints = Negotiations.parse(constraintsText == null || constraintsText.isBlank() ? "(&)" : constraintsText);
        return scans.begin(constraints, timeout);
    }

    /** Long-polls the offers of a scan not handed out yet; 404 once the scan ended or was dropped. */
    public CompletableFuture<List<OfferView>> scanEvents(String scanId, int maxEvents, Duration timeout, PollReader reader) {
        return scans.take(scanId, maxEvents, timeout, reader);
    }

    /** The offers of one provider node that match a scan, fetched from that node; the scan's queue stays as it is. */
    public List<OfferView> scanOffersOf(String scanId, String peerId) {
        return scans.directOffers(scanId, peerId);
    }

    /** The offers of a scan for one reader that keeps it open (an event stream) until it calls {@link OfferStream#close()}. */
    public OfferStream streamScan(String scanId) {
        return new OfferStream(scans, scans.open(scanId));
    }

    /** The open scans. */
    public List<ScanView> scans() {
        return scans.list();
    }

    /** Ends a scan: its open reads answer 404 (an event stream ends). */
    public void endScan(String scanId) {
        scans.end(scanId);
    }

    // ---------------------------------------------------------------- agreements

    /**
     * Creates an agreement (state Proposal) from a provider's open Draft proposal.
     *
     * @return the agreement id
     */
    public synchronized String createAgreement(String proposalId, Instant validTo) {
        Proposal draft = negotiations.draftToAgreeOn(proposalId);
        Instant now = IsoTime.now();
        if (!validTo.isAfter(now)) {
            throw new ApiException.BadRequest("validTo " + IsoTime.format(validTo) + " is not in the future");
        }
        Agreement agreement = new Agreement(this, Ids.hex(32), negotiations.counterOf(draft), draft, validTo, now);
        negotiations.accepted(draft, agreement.agreementId());
        agreements.add(agreement);
        return agreement.agreementId();
    }

    public synchronized AgreementView agreement(String agreementId) {
        return agreements.find(agreementId).view();
    }

    /** The agreement itself: its provider, activities and state, for inspection. */
    public synchronized Agreement agreementModel(String agreementId) {
        return agreements.find(agreementId);
    }

    /** Agreements, optionally only those of one app session and/or in one state. */
    public synchronized List<AgreementListEntry> agreements(String appSessionId, AgreementState state) {
        return agreements.list(appSessionId, state);
    }

    /** Sends a Proposal agreement to its provider (Proposal to Pending), which approves or rejects it at once. */
    public void confirm(String agreementId, String appSessionId) {
        Agreement approved;
        synchronized (this) {
            approved = agreements.confirm(agreementId, appSessionId);
        }
        if (approved != null) {
            notifyListeners(l -> l.approved(approved));
        }
    }

    /**
     * Completes when the provider has approved the agreement; fails with 408 after {@code timeout}
     * (zero: no limit), 409 if not confirmed yet, 410 if rejected, cancelled, expired or terminated.
     */
    public synchronized CompletableFuture<Void> waitForApproval(String agreementId, Duration timeout) {
        return agreements.waitForApproval(agreementId, timeout);
    }

    /** The provider's approval of a Pending agreement (its policy still decides); approving an Approved one again is a no-op. */
    public void approve(String agreementId) {
        Agreement approved;
        synchronized (this) {
            approved = agreements.approve(agreementId);
        }
        if (approved != null) {
            notifyListeners(l -> l.approved(approved));
        }
    }

    /** Withdraws an agreement that is not approved yet (Proposal or Pending). */
    public synchronized void cancel(String agreementId, String reason) {
        agreements.cancel(agreementId, reason);
    }

    /**
     * The requestor ends an Approved agreement: any running activity counts as stopped, the
     * provider's slot frees up, and its billing issues the invoice.
     */
    public void terminate(String agreementId, String reason) {
        Agreement a;
        synchronized (this) {
            a = agreements.terminable(agreementId);
        }
        end(a, "Requestor", new Reason(reason));
    }

    /**
     * The provider breaks an agreement on its own (a debit note not accepted in time, or
     * rejected). A no-op unless the agreement is Approved.
     */
    public void breakAgreement(String agreementId, Reason reason) {
        Agreement a;
        synchronized (this) {
            a = agreements.find(agreementId);
        }
        end(a, "Provider", reason);
    }

    /** Long-polls agreement events (Approved, Rejected, Cancelled, Terminated). */
    public CompletableFuture<List<AgreementEvent>> agreementEvents(LongPoll poll) {
        sessions.pollStarted(poll.appSessionId());
        return agreements.events().poll(poll).whenComplete((events, error) -> sessions.pollEnded(poll.appSessionId()));
    }

    @Override
    public synchronized RentedAgreement approved(String agreementId) {
        return agreements.approved(agreementId);
    }

    // ---------------------------------------------------------------- activities (called by Agreement)

    void activityStarted(Agreement a, String activityId) {
        synchronized (this) {
            if (!agreements.activityStarted(a, activityId)) {
                return;
            }
        }
        notifyListeners(l -> l.activityStarted(a, activityId));
    }

    void activityStopped(Agreement a, String activityId) {
        boolean wasRunning;
        synchronized (this) {
            wasRunning = a.stop(activityId);
        }
        if (wasRunning) {
            notifyListeners(l -> l.activityStopped(a, activityId));
        }
    }

    // ---------------------------------------------------------------- inspection

    /** For each provider, whether the subscribed demand matches it and, if not, why. */
    public synchronized List<ProviderMatch> explain(String demandId) {
        return negotiations.explain(demandId);
    }

    /** For each provider, whether a demand with these properties and constraints would match it. */
    public List<ProviderMatch> explain(Map<String, Object> properties, String constraintsText) {
        Constraint constraints = Negotiations.parse(constraintsText);
        synchronized (this) {
            return negotiations.explain(PropertySet.of(properties), constraints);
        }
    }

    /** Every provider with its slots in use. */
    public synchronized List<ProviderStatus> providers() {
        return providers.stream().map(p -> p.status(agreements.heldBy(p))).toList();
    }

    @Override
    public void close() {
        housekeeping.cancel(false);
        agreements.events().close();
        scans.closeAll();
        synchronized (this) {
            negotiations.close();
        }
    }

    // ---------------------------------------------------------------- internals

    /** Terminates an Approved agreement, then tells listeners and asks its provider about the waiting demands. */
    private void end(Agreement a, String terminator, Reason reason) {
        String stoppedActivity;
        synchronized (this) {
            if (a.state() != AgreementState.Approved) {
                return;
            }
            stoppedActivity = a.runningActivity();
            agreements.terminate(a, terminator, reason);
        }
        LOG.info("agreement {} with {} terminated by the {}: {}", a.agreementId(), a.provider().name(), terminator.toLowerCase(),
                reason.message());
        a.announceTermination();
        if (stoppedActivity != null) {
            notifyListeners(l -> l.activityStopped(a, stoppedActivity));
        }
        notifyListeners(l -> l.terminated(a));
        synchronized (this) {
            negotiations.proposeToWaitingDemands(a.provider());
        }
    }

    private void housekeeping() {
        try {
            Instant now = Instant.now();
            Map<Agreement, Reason> toEnd;
            synchronized (this) {
                agreements.expireUnapproved(now);
                toEnd = agreements.dueForTermination(now, sessions);
            }
            toEnd.forEach((a, reason) -> end(a, "Provider", reason));
            scans.dropForgotten(now);
        } catch (RuntimeException e) {
            LOG.error("market housekeeping failed", e);
        }
    }

    private void notifyListeners(Consumer<AgreementListener> call) {
        for (AgreementListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.error("agreement listener {} failed", listener, e);
            }
        }
    }
}
