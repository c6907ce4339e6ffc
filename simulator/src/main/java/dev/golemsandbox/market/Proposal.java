package dev.golemsandbox.market;

import dev.golemsandbox.http.IsoTime;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One proposal of a negotiation between a demand and a provider: the provider's Initial offer or
 * Draft answer, or the requestor's counter-proposal. Guarded by the market's lock.
 */
final class Proposal {

    /** Who made it. */
    enum Issuer { REQUESTOR, PROVIDER }

    final String id;
    final Demand demand;
    final Issuer issuer;
    final ProviderNode provider;
    final Map<String, Object> properties;
    final String constraints;
    final String prevProposalId;
    final Instant timestamp;
    ProposalState state;
    String agreementId;

    Proposal(String id, Demand demand, Issuer issuer, ProviderNode provider, ProposalState state,
             Map<String, Object> properties, String constraints, String prevProposalId, Instant timestamp) {
        this.id = id;
        this.demand = demand;
        this.issuer = issuer;
        this.provider = provider;
        this.state = state;
        this.properties = Collections.unmodifiableMap(new TreeMap<>(properties));
        this.constraints = constraints;
        this.prevProposalId = prevProposalId;
        this.timestamp = timestamp;
    }

    String issuerId() {
        return issuer == Issuer.PROVIDER ? provider.nodeId() : demand.requestorId;
    }

    ProposalView view() {
        return new ProposalView(properties, constraints, id, issuerId(), state.name(), IsoTime.format(timestamp), prevProposalId);
    }
}
