package dev.golemsandbox.market;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.golemsandbox.market.constraint.Verdict;

/**
 * Whether one provider matches a demand, and if not, why (the near miss): the demand's
 * constraints are checked against the offer's properties and the offer's constraints against the
 * demand's properties; a provider may still turn the demand down in the negotiation (its rules
 * refuse the demand's manifest), and it proposes only while it has a free slot.
 *
 * @param provider          the provider's name
 * @param nodeId            its node id
 * @param matches           whether both sides' constraints hold and the provider does not refuse the demand
 * @param demandConstraints the demand's constraints on the offer
 * @param offerConstraints  the offer's constraints on the demand
 * @param refusal           why the provider rejects every counter-proposal of the demand (e.g.
 *                          {@code Outbound rejected because: ...}); null if it does not
 * @param capacity          how many agreements the provider holds at once
 * @param inUse             how many it holds now
 * @param summary           one line for people
 */
public record ProviderMatch(String provider, String nodeId, boolean matches, Side demandConstraints,
                            Side offerConstraints, @JsonInclude(JsonInclude.Include.NON_NULL) String refusal,
                            int capacity, int inUse, String summary) {

    /** One direction of the check. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Side(boolean holds, String truth, String clause, String property, Object seen, String reason) {
        static Side of(Verdict v) {
            return new Side(v.holds(), v.truth().name(), v.clause(), v.property(), v.seen(), v.reason());
        }
    }

    static ProviderMatch of(String provider, String nodeId, Verdict demandSide, Verdict offerSide, String refusal, int capacity, int inUse) {
        boolean matches = demandSide.holds() && offerSide.holds() && refusal == null;
        String summary;
        if (!demandSide.holds()) {
            summary = "no: the demand's constraint " + demandSide.clause() + " does not hold for its offer: " + demandSide.reason();
        } else if (!offerSide.holds()) {
            summary = "no: its offer's constraint " + offerSide.clause() + " does not hold for the demand: " + offerSide.reason();
        } else if (refusal != null) {
            summary = "no: it proposes, then rejects the counter-proposal: " + refusal;
        } else if (inUse >= capacity) {
            summary = "matches, but all " + capacity + " of its slots are in use; it proposes again when an agreement ends";
        } else {
            summary = "matches; it proposes to the demand";
        }
        return new ProviderMatch(provider, nodeId, matches, Side.of(demandSide), Side.of(offerSide), refusal, capacity, inUse, summary);
    }
}
