package dev.golemsandbox.market;

import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.EventQueue;
import dev.golemsandbox.http.Ids;
import dev.golemsandbox.http.IsoTime;
import dev.golemsandbox.market.constraint.Constraint;
import dev.golemsandbox.market.constraint.ConstraintParser;
import dev.golemsandbox.market.constraint.ConstraintSyntaxException;
import dev.golemsandbox.market.constraint.PropertySet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The negotiation store of the market: the requestor's demands, the proposals exchanged on each,
 * and the two points where a provider's {@link ProviderPolicy} speaks in a negotiation (an
 * Initial proposal to a demand, the answer to a counter-proposal).
 *
 * <p>Not thread-safe: guarded by the {@link Market}'s lock, which also guards the agreements whose
 * {@link Slots} the policies are told about. Caller mistakes throw {@link ApiException}.
 */
final class Negotiations {

    /**
     * How long a provider's rejection of a counter-proposal takes to reach the requestor, as an
     * answer over the network does: golem-js matches a rejection to a counter-proposal it has
     * recorded, which it does only once its POST has been answered; an instant rejection overtakes
     * that and golem-js drops it (logging "Could not locate counter proposal").
     */
    static final Duration REJECTION_DELAY = Duration.ofMillis(500);

    private final String requestorId;
    private final ScheduledExecutorService timer;
    private final List<ProviderNode> providers;
    private final Function<ProviderNode, Slots> slots;
    private final Map<ProviderNode, Constraint> offerConstraints = new HashMap<>();
    private final Map<ProviderNode, PropertySet> offerProperties = new HashMap<>();
    private final Map<String, Demand> demands = new LinkedHashMap<>();
    private final Map<String, Proposal> proposals = new HashMap<>();

    /**
     * @param slots the slots of a provider now (the market counts its Approved agreements)
     * @throws IllegalStateException if an offer's constraints do not parse
     */
    Negotiations(List<? extends ProviderNode> providers, String requestorId, ScheduledExecutorService timer,
                 Function<ProviderNode, Slots> slots) {
        this.providers = List.copyOf(providers);
        this.requestorId = requestorId;
        this.timer = timer;
        this.slots = slots;
        for (ProviderNode p : this.providers) {
            try {
                offerConstraints.put(p, ConstraintParser.parse(p.offerConstraints()));
            } catch (ConstraintSyntaxException e) {
                throw new IllegalStateException("the offer of provider " + p.name() + " has invalid constraints: " + e.getMessage(), e);
            }
            offerProperties.put(p, PropertySet.of(p.offerProperties()));
        }
    }

    /** Parses a caller's constraints (before the lock is taken: parsing needs no state). */
    static Constraint parse(String constraintsText) {
        try {
            return ConstraintParser.parse(constraintsText);
        } catch (ConstraintSyntaxException e) {
            throw new ApiException.BadRequest("constraints: " + e.getMessage());
        }
    }

    /** Stores a demand and asks every provider whether it proposes to it; returns the demand's id. */
    String subscribe(Map<String, Object> properties, String constraintsText, Constraint constraints) {
        Demand demand = new Demand(Ids.hex(16) + "-" + Ids.hex(32), requestorId, properties, constraintsText,
                constraints, IsoTime.now(), new EventQueue<>(timer));
        demands.put(demand.id, demand);
        for (ProviderNode provider : providers) {
            proposeIfWilling(demand, provider);
        }
        return demand.id;
    }

    void unsubscribe(String demandId) {
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

    List<DemandView> demands() {
        return demands.values().stream().filter(d -> !d.unsubscribed)
                .map(d -> new DemandView(d.id, d.requestorId, d.properties, d.constraintsText, IsoTime.format(d.timestamp)))
                .toList();
    }

    /** The proposal events of a subscribed demand. */
    EventQueue<ProposalEvent> events(String demandId) {
        return subscribed(demandId).events;
    }

    /** Stores the requestor's counter-proposal and the provider's answer to it; returns the counter's id. */
    String counter(String demandId, String proposalId, Map<String, Object> properties, String constraintsText, Constraint constraints) {
        Demand demand = subscribed(demandId);
        Proposal previous = proposalOf(demand, proposalId);
        if (previous.issuer == Proposal.Issuer.REQUESTOR) {
            throw new ApiException.Conflict("proposal " + proposalId + " is your own counter-proposal; counter the provider's proposals instead");
        }
        checkOpen(previous);
        Proposal counter = new Proposal(Ids.hex(16), demand, Proposal.Issuer.REQUESTOR, previous.provider, ProposalState.Draft,
                PropertySet.of(properties).asMap(), constraintsText, previous.id, IsoTime.now());
        register(counter);
        answer(counter, constraints);
        return counter.id;
    }

    ProposalView proposal(String demandId, String proposalId) {
        return proposalOf(subscribed(demandId), proposalId).view();
    }

    /** The requestor rejects a provider's proposal: that negotiation ends. */
    void reject(String demandId, String proposalId) {
        Proposal proposal = proposalOf(subscribed(demandId), proposalId);
        if (proposal.issuer == Proposal.Issuer.REQUESTOR) {
            throw new ApiException.Conflict("proposal " + proposalId + " is your own counter-proposal; only the provider's proposals can be rejected");
        }
        checkOpen(proposal);
        proposal.state = ProposalState.Rejected;
    }

    /** The provider's open Draft {@code proposalId}, which an agreement can be made from. */
    Proposal draftToAgreeOn(String proposalId) {
        Proposal draft = proposals.get(proposalId);
        if (draft == null) {
            throw new ApiException.NotFound("proposal " + proposalId + " not found");
        }
        if (draft.issuer == Proposal.Issuer.REQUESTOR) {
            throw new ApiException.Conflict("proposal " + proposalId + " is the requestor's counter-proposal; "
                    + "create the agreement from the provider's Draft answer to it (the proposal whose prevProposalId is " + proposalId + ")");
        }
        if (draft.state == ProposalState.Initial) {
            throw new ApiException.Conflict("proposal " + proposalId + " is Initial: counter it first and create the agreement from the provider's Draft answer");
        }
        checkOpen(draft);
        return draft;
    }

    /** The requestor's counter-proposal that {@code draft} answered. */
    Proposal counterOf(Proposal draft) {
        return proposals.get(draft.prevProposalId);
    }

    /** Agreement {@code agreementId} was made from {@code draft}: the Draft is closed. */
    void accepted(Proposal draft, String agreementId) {
        draft.state = ProposalState.Accepted;
        draft.agreementId = agreementId;
    }

    /** Asks the provider about every subscribed demand again, as it is when one of its slots frees up. */
    void proposeToWaitingDemands(ProviderNode provider) {
        for (Demand demand : demands.values()) {
            if (!demand.unsubscribed) {
                proposeIfWilling(demand, provider);
            }
        }
    }

    List<ProviderMatch> explain(String demandId) {
        Demand d = subscribed(demandId);
        return explain(d.propertySet, d.constraints);
    }

    /** For each provider, whether a demand with these properties and constraints matches it and, if not, why. */
    List<ProviderMatch> explain(PropertySet demandProperties, Constraint demandConstraints) {
        List<ProviderMatch> all = new ArrayList<>();
        for (ProviderNode p : providers) {
            RequestorProposal seen = judge(p, demandProperties, demandConstraints);
            Slots s = slots.apply(p);
            all.add(ProviderMatch.of(p.name(), p.nodeId(), seen.demandSide(), seen.offerSide(), p.policy().refusal(seen).orElse(null),
                    s.capacity(), s.inUse()));
        }
        return all;
    }

    /** Ends every pending event poll: the sandbox is stopping. */
    void close() {
        demands.values().forEach(d -> d.events.close(() -> new ApiException.NotFound("the sandbox is stopping")));
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
        if (proposal.state == ProposalState.Rejected) {
            throw new ApiException.Gone("proposal " + proposal.id + " was rejected");
        }
        if (proposal.state == ProposalState.Accepted) {
            throw new ApiException.Gone("proposal " + proposal.id + " already became agreement " + proposal.agreementId);
        }
    }

    /** The requestor's side as {@code provider} sees it: both sides' constraints evaluated. */
    private RequestorProposal judge(ProviderNode provider, PropertySet properties, Constraint constraints) {
        return new RequestorProposal(provider, requestorId, properties.asMap(), constraints.evaluate(offerProperties.get(provider)),
                offerConstraints.get(provider).evaluate(properties));
    }

    private void register(Proposal proposal) {
        proposal.demand.proposals.put(proposal.id, proposal);
        proposals.put(proposal.id, proposal);
    }

    private void proposeIfWilling(Demand demand, ProviderNode provider) {
        if (!provider.policy().proposesTo(judge(provider, demand.propertySet, demand.constraints), slots.apply(provider))) {
            return;
        }
        Proposal initial = new Proposal(Ids.hex(16), demand, Proposal.Issuer.PROVIDER, provider, ProposalState.Initial,
                provider.offerProperties(), provider.offerConstraints(), null, IsoTime.now());
        register(initial);
        demand.events.offer(ProposalEvent.proposal(IsoTime.format(initial.timestamp), initial.view()));
    }

    /** Asks the provider for its answer to {@code counter} and sends it to the demand's events. */
    private void answer(Proposal counter, Constraint counterConstraints) {
        ProviderNode provider = counter.provider;
        Demand demand = counter.demand;
        RequestorProposal seen = judge(provider, PropertySet.of(counter.properties), counterConstraints);
        CounterAnswer answer = provider.policy().answer(seen, slots.apply(provider));
        if (answer instanceof CounterAnswer.Rejection rejection) {
            counter.state = ProposalState.Rejected;
            timer.schedule(() -> demand.events.offer(ProposalEvent.rejected(IsoTime.format(IsoTime.now()), counter.id, rejection.reason())),
                    REJECTION_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        CounterAnswer.Draft offered = (CounterAnswer.Draft) answer;
        Proposal draft = new Proposal(Ids.hex(16), demand, Proposal.Issuer.PROVIDER, provider, ProposalState.Draft,
                offered.properties(), offered.constraints(), counter.id, IsoTime.now());
        register(draft);
        demand.events.offer(ProposalEvent.proposal(IsoTime.format(draft.timestamp), draft.view()));
    }
}
