package dev.golemsandbox.market;

/**
 * A provider's decision on a Pending agreement: approve it, or reject it with the reason the
 * requestor reads in the {@code AgreementRejectedEvent} and the answer to {@code /wait}.
 *
 * <pre>{@code
 * return slots.anyFree() ? AgreementDecision.approve() : AgreementDecision.reject("no free slot");
 * }</pre>
 *
 * @param approved whether the provider approves
 * @param reason   why it rejects; null when it approves
 */
public record AgreementDecision(boolean approved, String reason) {

    private static final AgreementDecision APPROVE = new AgreementDecision(true, null);

    public static AgreementDecision approve() {
        return APPROVE;
    }

    public static AgreementDecision reject(String reason) {
        return new AgreementDecision(false, reason);
    }
}
