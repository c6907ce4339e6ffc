package dev.golemsandbox.market;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An event of a demand's subscription: {@code ProposalEvent} (a provider's Initial offer or Draft
 * answer) or {@code ProposalRejectedEvent} (the provider turned a counter-proposal down).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProposalEvent(String eventType, String eventDate, ProposalView proposal, String proposalId, Reason reason) {

    static ProposalEvent proposal(String eventDate, ProposalView proposal) {
        return new ProposalEvent("ProposalEvent", eventDate, proposal, null, null);
    }

    static ProposalEvent rejected(String eventDate, String counterProposalId, String why) {
        return new ProposalEvent("ProposalRejectedEvent", eventDate, null, counterProposalId, new Reason(why));
    }
}
