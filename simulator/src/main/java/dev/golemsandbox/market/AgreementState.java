package dev.golemsandbox.market;

/**
 * The life of an agreement, named as the API names it:
 * {@code Proposal --confirm--> Pending --provider--> Approved --terminate--> Terminated}, or from
 * Proposal/Pending to Cancelled (requestor), Rejected (provider) or Expired (validTo passed).
 */
public enum AgreementState {
    Proposal, Pending, Cancelled, Rejected, Approved, Expired, Terminated;

    /** Whether no call can move the agreement on any more. */
    public boolean isFinal() {
        return this == Cancelled || this == Rejected || this == Expired || this == Terminated;
    }
}
