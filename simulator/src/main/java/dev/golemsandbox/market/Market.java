package dev.golemsandbox.market;

import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.EventLog;
import dev.golemsandbox.http.EventQueue;
import dev.golemsandbox.http.Ids;
import dev.golemsandbox.http.IsoTime;
import dev.golemsandbox.http.LongPoll;
import dev.golemsandbox.market.constraint.Constraint;
import dev.golemsandbox.market.constraint.ConstraintParser;
import dev.golemsandbox.market.constraint.ConstraintSyntaxException;
import dev.golemsandbox.market.constraint.PropertySet;
import dev.golemsandbox.market.constraint.Verdict;
import dev.golemsandbox.provider.Offer;
import dev.golemsandbox.provider.Providers;
import dev.golemsandbox.provider.SimulatedProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market of the sandbox: the requestor's demands, the simulated providers' offers, the
 * negotiations between them and the agreements they lead to, as a yagna daemon with a few
 * providers on the network would run them for golem-js.
 *
 * <p>Negotiation: on subscribe, every provider whose offer matches the demand (both sides'
 * constraints hold) and that has a free slot sends an Initial proposal. The requestor counters it;
 * the provider answers at once with a Draft ({@code prevProposalId} = the counter) or rejects the
 * counter (no free slot, constraints no longer hold). An agreement is created from the Draft,
 * confirmed, and approved by the provider if it still has a free slot, else rejected. A provider
 * holds at most {@code capacity} approved agreements; when one ends it proposes again to every
 * matching demand, so a requestor waiting for a provider is never left without proposals.
 *
 * <p>Housekeeping (every second): agreements not approved by {@code validTo} expire; the provider
 * terminates approved agreements once the demand's {@code golem.srv.comp.expiration} has passed,
 * and those of a requestor session that stopped polling for events for {@code sessionTimeout}
 * (see {@link RequestorSessions}).
 *
 * <pre>{@code
 * Market market = new Market(providers, requestorId, timer, Duration.ofSeconds(60));
 * market.addListener(payment);
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

    private final Providers providers;
    private final String requestorId;
    private final ScheduledExecutorService timer;
    private final Duration sessionTimeout;
    private final RequestorSessions sessions = new RequestorSessions();
    private final EventLog<AgreementEvent> agreementEvents;
    private final List<AgreementListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<SimulatedProvider, Constraint> offerConstraints = new HashMap<>();
    private final Map<SimulatedProvider, PropertySet> offerProperties = new HashMap<>();
    private final Map<String, Demand> demands = new LinkedHashMap<>();
    private final Map<String, Proposal> proposals = new HashMap<>();
    private final Map<String, Agreement> agreements = new LinkedHashMap<>();
    private final ScheduledFuture<?> housekeeping;

    /**
     * @param providers      the simulated providers
     * @param requestorId    the requestor's node id ({@code /me})
     * @param timer          runs long-poll timeouts, event delivery and housekeeping
     * @param sessionTimeout how long a requestor session may stay silent before its agreements end; zero: forever
     */
    public Market(Providers providers, String requestorId, ScheduledExecutorService timer, Duration sessionTimeout) {
        this.providers = providers;
        this.requestorId = requestorId;
        this.timer = timer;
        this.sessionTimeout = sessionTimeout;
        this.agreementEvents = new EventLog<>(timer);
        for (SimulatedProvider p : providers.all()) {
            try {
                offerConstraints.put(p, ConstraintParser.parse(p.offer().constraints()));
            } catch (ConstraintSyntaxException e) {
                throw new IllegalStateException("the offer of provider " + p.name() + " has invalid constraints: " + e.getMessage(), e);
            }
            offerProperties.put(p, PropertySet.of(p.offer().properties()));
        }
        this.housekeeping = timer.scheduleWithFixedDelay(this::housekeeping, 1, 1, TimeUnit.SECONDS);
    }

    /** Adds a listener told about approvals, activities and terminations (the payment side). */
    public void addListener(AgreementListener listener) {
        listeners.add(listener);
    }

    /** The liveness of requestor sessions; every event feed reports its polls here. */
    public RequestorSessions sessions() {
        return sessions;
    }

    public String requestorId() {
        return requestorId;
    }

    // ---------------------------------------------------------------- demands

    /**
     * Subscribes a demand and lets every matching provider with a free slot propose.
     *
     * @return the subscription id
     * @throws ApiException.BadRequest if the constraints do not parse
     */
    public String subscribe(Map<String, Object> properties, String constraintsText) {
        Constraint constraints = parse(constraintsText);
        synchronized (this) {
            Demand demand = new Demand(Ids.hex(16) + "-" + Ids.hex(32), requestorId, properties, constraintsText,
                    constraints, IsoTime.now(), new EventQueue<>(timer));
            demands.put(demand.id, demand);
            for (SimulatedProvider provider : providers.all()) {
                if (hasFreeSlot(provider) && matches(demand, provider)) {
                    proposeInitial(demand, provider);
                }
            }
            return demand.id;
        }
    }

    /** Ends a subscription; its pending and later event polls answer 404. */
    public synchronized void unsubscribe(String demandId) {
        Demand demand = demands.get(demandId);
        if (demand == null) {
            throw new ApiException.NotFound("demand " + demandId + " not found");
        }
        if (demand.unsubscribed) {
            throw new ApiException.Gone("demand " + demandId + " was already unsubscribed");
        }
        demand.unsubscribed = true;
        demand.events.close(() -> new ApiException.NotFound("demand " + demandId + " was unsubscribed"));
    }

    /** The subscribed demands. */
    public synchronized List<DemandView> demands() {
        return demands.values().stream().filter(d -> !d.unsubscribed)
                .map(d -> new DemandView(d.id, d.requestorId, d.properties, d.constraintsText, IsoTime.format(d.timestamp)))
                .toList();
    }

    /** Long-polls the proposal events of a demand; they are consumed. */
    public CompletableFuture<List<ProposalEvent>> proposalEvents(String demandId, int maxEvents, Duration timeout) {
        EventQueue<ProposalEvent> queue;
        synchronized (this) {
            queue = subscribed(demandId).events;
        }
        return queue.take(maxEvents, timeout);
    }

    /**
     * The requestor's counter-proposal to a provider's proposal. The provider answers at once with
     * a Draft event, or with a ProposalRejectedEvent saying why.
     *
     * @return the counter-proposal's id
     */
    public String counter(String demandId, String proposalId, Map<String, Object> properties, String constraintsText) {
        Constraint constraints = parse(constraintsText);
        synchronized (this) {
            Demand demand = subscribed(demandId);
            Proposal previous = proposalOf(demand, proposalId);
            if (previous.issuer == Proposal.Issuer.REQUESTOR) {
                throw new ApiException.Conflict("proposal " + proposalId + " is your own counter-proposal; counter the provider's proposals instead");
            }
            checkOpen(previous);
            Proposal counter = new Proposal(Ids.hex(16), demand, Proposal.Issuer.REQUESTOR, previous.provider, "Draft",
                    PropertySet.of(properties).asMap(), constraintsText, previous.id, IsoTime.now());
            register(counter);
            answer(counter, constraints);
            return counter.id;
        }
    }

    /** A proposal of the demand's negotiations (the provider's or the requestor's). */
    public synchronized ProposalView proposal(String demandId, String proposalId) {
        return proposalOf(subscribed(demandId), proposalId).view();
    }

    /** Rejects a provider's proposal: that negotiation ends. */
    public synchronized void reject(String demandId, String proposalId) {
        Proposal proposal = proposalOf(subscribed(demandId), proposalId);
        if (proposal.issuer == Proposal.Issuer.REQUESTOR) {
            throw new ApiException.Conflict("proposal " + proposalId + " is your own counter-proposal; only the provider's proposals can be rejected");
        }
        checkOpen(proposal);
        proposal.state = "Rejected";
    }

    // ---------------------------------------------------------------- agreements

    /**
     * Creates an agreement (state Proposal) from a provider's Draft proposal.
     *
     * @return the agreement id
     */
    public synchronized String createAgreement(String proposalId, Instant validTo) {
        Proposal draft = proposals.get(proposalId);
        if (draft == null) {
            throw new ApiException.NotFound("proposal " + proposalId + " not found");
        }
        if (draft.issuer == Proposal.Issuer.REQUESTOR) {
            throw new ApiException.Conflict("proposal " + proposalId + " is the requestor's counter-proposal; "
                    + "create the agreement from the provider's Draft answer to it (the proposal whose prevProposalId is " + proposalId + ")");
        }
        if (draft.state.equals("Initial")) {
            throw new ApiException.Conflict("proposal " + proposalId + " is Initial: counter it first and create the agreement from the provider's Draft answer");
        }
        checkOpen(draft);
        Instant now = IsoTime.now();
        if (!validTo.isAfter(now)) {
            throw new ApiException.BadRequest("validTo " + IsoTime.format(validTo) + " is not in the future");
        }
        Agreement agreement = new Agreement(this, Ids.hex(32), proposals.get(draft.prevProposalId), draft, validTo, now);
        draft.state = "Accepted";
        draft.agreementId = agreement.agreementId();
        agreements.put(agreement.agreementId(), agreement);
        return agreement.agreementId();
    }

    public synchronized AgreementView agreement(String agreementId) {
        return find(agreementId).view();
    }

    /** The agreement itself: its provider, activities and state, for inspection. */
    public synchronized Agreement agreementModel(String agreementId) {
        return find(agreementId);
    }

    /** Agreements, optionally only those of one app session and/or in one state. */
    public synchronized List<AgreementListEntry> agreements(String appSessionId, AgreementState state) {
        return agreements.values().stream()
                .filter(a -> appSessionId == null || appSessionId.equals(a.appSessionId()))
                .filter(a -> state == null || a.state() == state)
                .map(a -> new AgreementListEntry(a.agreementId(), IsoTime.format(a.timestamp()),
                        a.approvedDate() == null ? null : IsoTime.format(a.approvedDate()), "Requestor", a.state().name()))
                .toList();
    }

    /**
     * Sends the agreement to its provider (Proposal to Pending), which approves it at once if it
     * has a free slot and rejects it otherwise.
     */
    public void confirm(String agreementId, String appSessionId) {
        Agreement approved;
        synchronized (this) {
            Agreement a = find(agreementId);
            if (a.state() != AgreementState.Proposal) {
                throw a.state().isFinal() ? gone(a)
                        : new ApiException.Conflict("agreement " + agreementId + " is already confirmed (state " + a.state() + ")");
            }
            a.confirm(appSessionId);
            approved = decide(a) ? a : null;
        }
        if (approved != null) {
            notifyListeners(l -> l.approved(approved));
        }
    }

    /**
     * Completes when the provider has approved the agreement; fails with 408 after {@code timeout}
     * (zero: no limit), 409 if not confirmed yet, 410 if rejected, cancelled, expired or terminated.
     */
    public CompletableFuture<Void> waitForApproval(String agreementId, Duration timeout) {
        Agreement agreement;
        synchronized (this) {
            agreement = find(agreementId);
            switch (agreement.state()) {
                case Approved -> {
                    return CompletableFuture.completedFuture(null);
                }
                case Proposal -> throw new ApiException.Conflict("agreement " + agreementId + " is not confirmed yet: confirm it first");
                case Pending -> {
                }
                default -> throw gone(agreement);
            }
        }
        CompletableFuture<Void> answer = new CompletableFuture<>();
        agreement.settled().whenCompleteAsync((state, error) -> {
            if (state == AgreementState.Approved) {
                answer.complete(null);
            } else {
                answer.completeExceptionally(gone(agreement));
            }
        }, timer);
        if (!timeout.isZero()) {
            timer.schedule(() -> answer.completeExceptionally(new ApiException.Timeout("agreement " + agreementId
                    + " was not approved within " + timeout.toMillis() / 1000.0 + " s; wait again")), timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        return answer;
    }

    /** The provider's approval of a Pending agreement; approving an Approved one again is a no-op. */
    public void approve(String agreementId) {
        Agreement approved;
        synchronized (this) {
            Agreement a = find(agreementId);
            switch (a.state()) {
                case Approved -> {
                    return;
                }
                case Proposal -> throw new ApiException.Conflict("agreement " + agreementId + " is not confirmed by the requestor yet");
                case Pending -> {
                }
                default -> throw gone(a);
            }
            if (!decide(a)) {
                throw gone(a);
            }
            approved = a;
        }
        notifyListeners(l -> l.approved(approved));
    }

    /** Withdraws an agreement that is not approved yet (Proposal or Pending). */
    public synchronized void cancel(String agreementId, String reason) {
        Agreement a = find(agreementId);
        if (a.state() == AgreementState.Approved) {
            throw new ApiException.Conflict("agreement " + agreementId + " is Approved: terminate it instead of cancelling");
        }
        if (a.state().isFinal()) {
            throw gone(a);
        }
        a.end(AgreementState.Cancelled, reason);
        agreementEvents.append(a.appSessionId(), date -> AgreementEvent.cancelled(IsoTime.format(date), agreementId, reason));
    }

    /**
     * The requestor ends an Approved agreement: any running activity counts as stopped, the
     * provider's slot frees up, and the payment side issues the invoice.
     */
    public void terminate(String agreementId, String reason) {
        Agreement a;
        synchronized (this) {
            a = find(agreementId);
            if (a.state() != AgreementState.Approved) {
                throw a.state().isFinal() ? new ApiException.Gone("agreement " + agreementId + " is already " + a.state())
                        : new ApiException.Conflict("agreement " + agreementId + " is " + a.state()
                        + ": only an Approved agreement can be terminated; cancel it instead");
            }
        }
        end(a, "Requestor", reason);
    }

    /** Long-polls agreement events (Approved, Rejected, Cancelled, Terminated). */
    public CompletableFuture<List<AgreementEvent>> agreementEvents(LongPoll poll) {
        sessions.pollStarted(poll.appSessionId());
        return agreementEvents.poll(poll).whenComplete((events, error) -> sessions.pollEnded(poll.appSessionId()));
    }

    @Override
    public RentedAgreement approved(String agreementId) {
        Agreement a;
        synchronized (this) {
            a = find(agreementId);
        }
        switch (a.state()) {
            case Approved -> {
                return a;
            }
            case Proposal, Pending -> throw new ApiException.Conflict("agreement " + agreementId + " is " + a.state()
                    + ": activities can be created once it is Approved");
            default -> throw gone(a);
        }
    }

    // ---------------------------------------------------------------- activities (called by Agreement)

    void activityStarted(Agreement a, String activityId) {
        synchronized (this) {
            if (a.state() != AgreementState.Approved) {
                throw a.state().isFinal() ? gone(a) : new ApiException.Conflict("agreement " + a.agreementId() + " is "
                        + a.state() + ": activities can be created once it is Approved");
            }
            String running = a.runningActivity();
            if (activityId.equals(running)) {
                return;
            }
            if (running != null) {
                throw new ApiException.Conflict("agreement " + a.agreementId() + " already runs activity " + running
                        + "; destroy it before creating another (a provider runs one activity per agreement at a time)");
            }
            a.run(activityId);
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
        Demand d = subscribed(demandId);
        return explain(d.propertySet, d.constraints);
    }

    /** For each provider, whether a demand with these properties and constraints would match it. */
    public List<ProviderMatch> explain(Map<String, Object> properties, String constraintsText) {
        Constraint constraints = parse(constraintsText);
        synchronized (this) {
            return explain(PropertySet.of(properties), constraints);
        }
    }

    /** Every provider with its slots in use. */
    public synchronized List<ProviderStatus> providers() {
        List<ProviderStatus> all = new ArrayList<>();
        for (SimulatedProvider p : providers.all()) {
            List<String> live = agreements.values().stream()
                    .filter(a -> a.provider() == p && a.state() == AgreementState.Approved)
                    .map(Agreement::agreementId).toList();
            all.add(new ProviderStatus(p.name(), p.nodeId(), p.spec().cores(), p.spec().threads(), p.spec().memGib(),
                    p.spec().storageGib(), p.spec().capacity(), live.size(), p.spec().pricing().coeffs(), p.spec().subnet(),
                    p.offer().offerId(), live));
        }
        return all;
    }

    @Override
    public void close() {
        housekeeping.cancel(false);
        agreementEvents.close();
        synchronized (this) {
            demands.values().forEach(d -> d.events.close(() -> new ApiException.NotFound("the sandbox is stopping")));
        }
    }

    // ---------------------------------------------------------------- internals

    private List<ProviderMatch> explain(PropertySet demandProperties, Constraint demandConstraints) {
        List<ProviderMatch> all = new ArrayList<>();
        for (SimulatedProvider p : providers.all()) {
            Verdict demandSide = demandConstraints.evaluate(offerProperties.get(p));
            Verdict offerSide = offerConstraints.get(p).evaluate(demandProperties);
            all.add(ProviderMatch.of(p.name(), p.nodeId(), demandSide, offerSide, p.spec().capacity(), slotsInUse(p)));
        }
        return all;
    }

    private static Constraint parse(String constraintsText) {
        try {
            return ConstraintParser.parse(constraintsText);
        } catch (ConstraintSyntaxException e) {
            throw new ApiException.BadRequest("constraints: " + e.getMessage());
        }
    }

    private Demand subscribed(String demandId) {
        Demand demand = demands.get(demandId);
        if (demand == null) {
            throw new ApiException.NotFound("demand " + demandId + " not found");
        }
        if (demand.unsubscribed) {
            throw new ApiException.NotFound("demand " + demandId + " was unsubscribed");
        }
        return demand;
    }

    private static Proposal proposalOf(Demand demand, String proposalId) {
        Proposal proposal = demand.proposals.get(proposalId);
        if (proposal == null) {
            throw new ApiException.NotFound("proposal " + proposalId + " not found in demand " + demand.id);
        }
        return proposal;
    }

    private static void checkOpen(Proposal proposal) {
        if (proposal.state.equals("Rejected")) {
            throw new ApiException.Gone("proposal " + proposal.id + " was rejected");
        }
        if (proposal.state.equals("Accepted")) {
            throw new ApiException.Gone("proposal " + proposal.id + " already became agreement " + proposal.agreementId);
        }
    }

    private Agreement find(String agreementId) {
        Agreement a = agreements.get(agreementId);
        if (a == null) {
            throw new ApiException.NotFound("agreement " + agreementId + " not found");
        }
        return a;
    }

    private static ApiException gone(Agreement a) {
        String reason = a.endReason();
        return new ApiException.Gone("agreement " + a.agreementId() + " is " + a.state() + (reason == null ? "" : ": " + reason));
    }

    private boolean matches(Demand demand, SimulatedProvider provider) {
        return demand.constraints.evaluate(offerProperties.get(provider)).holds()
                && offerConstraints.get(provider).evaluate(demand.propertySet).holds();
    }

    private int slotsInUse(SimulatedProvider provider) {
        int used = 0;
        for (Agreement a : agreements.values()) {
            if (a.provider() == provider && a.state() == AgreementState.Approved) {
                used++;
            }
        }
        return used;
    }

    private boolean hasFreeSlot(SimulatedProvider provider) {
        return slotsInUse(provider) < provider.spec().capacity();
    }

    private String noFreeSlot(SimulatedProvider provider) {
        return "provider " + provider.name() + " has no free slot: all " + provider.spec().capacity() + " are in use";
    }

    private void register(Proposal proposal) {
        proposal.demand.proposals.put(proposal.id, proposal);
        proposals.put(proposal.id, proposal);
    }

    private void proposeInitial(Demand demand, SimulatedProvider provider) {
        Proposal initial = new Proposal(Ids.hex(16), demand, Proposal.Issuer.PROVIDER, provider, "Initial",
                provider.offer().properties(), provider.offer().constraints(), null, IsoTime.now());
        register(initial);
        demand.events.offer(ProposalEvent.proposal(IsoTime.format(initial.timestamp), initial.view()));
    }

    /** The provider's answer to a counter-proposal: a Draft, or a rejection saying why. */
    private void answer(Proposal counter, Constraint counterConstraints) {
        SimulatedProvider provider = counter.provider;
        Demand demand = counter.demand;
        String refusal = null;
        if (!hasFreeSlot(provider)) {
            refusal = noFreeSlot(provider);
        } else {
            Verdict onOffer = counterConstraints.evaluate(offerProperties.get(provider));
            Verdict onCounter = offerConstraints.get(provider).evaluate(PropertySet.of(counter.properties));
            if (!onOffer.holds()) {
                refusal = "the counter-proposal's constraint " + onOffer.clause() + " does not hold for the offer: " + onOffer.reason();
            } else if (!onCounter.holds()) {
                refusal = "the offer's constraint " + onCounter.clause() + " does not hold for the counter-proposal: " + onCounter.reason();
            }
        }
        if (refusal != null) {
            counter.state = "Rejected";
            demand.events.offer(ProposalEvent.rejected(IsoTime.format(IsoTime.now()), counter.id, refusal));
            return;
        }
        Proposal draft = new Proposal(Ids.hex(16), demand, Proposal.Issuer.PROVIDER, provider, "Draft",
                negotiated(provider, counter.properties), provider.offer().constraints(), counter.id, IsoTime.now());
        register(draft);
        demand.events.offer(ProposalEvent.proposal(IsoTime.format(draft.timestamp), draft.view()));
    }

    /**
     * The offer's properties, with the requestor's debit-note interval and payment timeout taken
     * over when the provider takes part in mid-agreement payments at all.
     */
    private static Map<String, Object> negotiated(SimulatedProvider provider, Map<String, Object> counter) {
        Map<String, Object> properties = new TreeMap<>(provider.offer().properties());
        for (String key : List.of(Offer.DEBIT_NOTE_INTERVAL, Offer.PAYMENT_TIMEOUT)) {
            if (properties.containsKey(key) && counter.get(key) instanceof Number asked && asked.doubleValue() >= 1) {
                properties.put(key, asked.longValue());
            }
        }
        return properties;
    }

    /** The provider's decision on a Pending agreement; true if approved. Under the lock. */
    private boolean decide(Agreement a) {
        if (hasFreeSlot(a.provider())) {
            a.approve(IsoTime.now());
            agreementEvents.append(a.appSessionId(), date -> AgreementEvent.approved(IsoTime.format(date), a.agreementId()));
            return true;
        }
        String why = noFreeSlot(a.provider());
        a.end(AgreementState.Rejected, why);
        agreementEvents.append(a.appSessionId(), date -> AgreementEvent.rejected(IsoTime.format(date), a.agreementId(), why));
        return false;
    }

    /** Terminates an Approved agreement, then tells listeners and lets the provider propose again. */
    private void end(Agreement a, String terminator, String reason) {
        String stoppedActivity;
        synchronized (this) {
            if (a.state() != AgreementState.Approved) {
                return;
            }
            stoppedActivity = a.runningActivity();
            a.end(AgreementState.Terminated, reason);
            agreementEvents.append(a.appSessionId(),
                    date -> AgreementEvent.terminated(IsoTime.format(date), a.agreementId(), terminator, reason));
        }
        LOG.info("agreement {} with {} terminated by the {}: {}", a.agreementId(), a.provider().name(), terminator.toLowerCase(), reason);
        a.announceTermination();
        if (stoppedActivity != null) {
            notifyListeners(l -> l.activityStopped(a, stoppedActivity));
        }
        notifyListeners(l -> l.terminated(a));
        synchronized (this) {
            if (hasFreeSlot(a.provider())) {
                for (Demand demand : demands.values()) {
                    if (!demand.unsubscribed && matches(demand, a.provider())) {
                        proposeInitial(demand, a.provider());
                    }
                }
            }
        }
    }

    private void housekeeping() {
        try {
            Instant now = Instant.now();
            Map<Agreement, String> toEnd = new LinkedHashMap<>();
            synchronized (this) {
                for (Agreement a : agreements.values()) {
                    Instant expiration = a.expiration();
                    if ((a.state() == AgreementState.Proposal || a.state() == AgreementState.Pending) && now.isAfter(a.validTo())) {
                        a.end(AgreementState.Expired, "validTo " + IsoTime.format(a.validTo()) + " passed before approval");
                    } else if (a.state() == AgreementState.Approved && expiration != null && now.isAfter(expiration)) {
                        toEnd.put(a, "the agreement expired (golem.srv.comp.expiration " + IsoTime.format(expiration) + " passed)");
                    } else if (a.state() == AgreementState.Approved && !sessionTimeout.isZero()
                            && sessions.isGone(a.appSessionId(), now, sessionTimeout)) {
                        toEnd.put(a, "the requestor (app session " + a.appSessionId() + ") stopped polling for events for "
                                + sessionTimeout.toSeconds() + " s");
                    }
                }
            }
            toEnd.forEach((a, reason) -> end(a, "Provider", reason));
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
