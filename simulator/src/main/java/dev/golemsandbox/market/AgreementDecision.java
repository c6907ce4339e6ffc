package dev.golemsandbox.market;

import java.util.Objects;

/**
 * A provider's decision on a Pending agreement: approve it, reject it with the reason the
 * requestor reads in the {@code AgreementRejectedEvent} and the answer to {@code /wait}, or give
 * no answer at all (the agreement stays Pending and the requestor's wait times out).
 *
 * <pre>{@code
 * return slots.anyFree() ? AgreementDecision.approve() : AgreementDecision.reject("no free slot");
 * }</pre>
 *
 * @param approved whether the provider approves
 * @param reason   why it rejects; null when it approves or does not answer
 */
public record AgreementDecision(boolean approved, String reason) {

    private static final AgreementDecision APPROVE = new AgreementDecision(true, null);
    private static final AgreementDecision NO_ANSWER = new AgreementDecision(false, null);

    public static AgreementDecision approve() {
        return APPROVE;
    }

    public static AgreementDecision reject(String reason) {
        return new AgreementDecision(false, Objects.requireNonNull(reason, "a rejection has a reason"));
    }

    public static AgreementDecision noAnswer() {
        return NO_ANSWER;
    }

    /** Whether the provider left the agreement unanswered. */
    public boolean unanswered() {
        return !approved && reason == null;
    }
}
