package dev.golemsandbox.market;

import dev.golemsandbox.market.constraint.Verdict;
import java.util.Map;

/**
 * The requestor's side of a negotiation as one provider judges it: a demand (which the provider
 * may answer with an Initial proposal) or a counter-proposal (answered with a Draft or a
 * rejection), with both sides' constraints already evaluated.
 *
 * <pre>{@code
 * if (!counter.demandSide().holds()) return CounterAnswer.reject(counter.demandSide().reason());
 * }</pre>
 *
 * @param provider   the provider asked
 * @param requestorId the requestor's node id
 * @param properties the requestor's properties (flat dotted names)
 * @param demandSide the requestor's constraints evaluated on the provider's offer
 * @param offerSide  the offer's constraints evaluated on the requestor's properties
 */
public record RequestorProposal(ProviderNode provider, String requestorId, Map<String, Object> properties, Verdict demandSide, Verdict offerSide) {

    /** Whether the constraints of both sides hold. */
    public boolean matches() {
        return demandSide.holds() && offerSide.holds();
    }
}
