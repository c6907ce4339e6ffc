package dev.golemsandbox.market;

/**
 * The state of a proposal, named as the API names it. A provider's proposal is Initial (its
 * answer to a demand) or Draft (its answer to a counter-proposal, the one an agreement is made
 * from); the requestor's counter-proposal is a Draft. A proposal turned down by either side is
 * Rejected; one an agreement was made from is Accepted. Neither of those can be countered any more.
 */
public enum ProposalState {
    Initial, Draft, Rejected, Accepted
}
