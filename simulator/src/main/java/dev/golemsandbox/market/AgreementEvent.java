package dev.golemsandbox.market;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An event of {@code /agreementEvents}: Approved, Rejected, Cancelled or Terminated. golem-js reads
 * {@code reason.message} of the last three and {@code terminator} of a termination, so both are
 * always there for those.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgreementEvent(String eventType, String eventDate, String agreementId, String terminator,
                             String signature, Reason reason) {

    static AgreementEvent approved(String eventDate, String agreementId) {
        return new AgreementEvent("AgreementApprovedEvent", eventDate, agreementId, null, null, null);
    }

    static AgreementEvent rejected(String eventDate, String agreementId, String why) {
        return new AgreementEvent("AgreementRejectedEvent", eventDate, agreementId, null, null, new Reason(why));
    }

    static AgreementEvent cancelled(String eventDate, String agreementId, String why) {
        return new AgreementEvent("AgreementCancelledEvent", eventDate, agreementId, null, null, new Reason(why));
    }

    static AgreementEvent terminated(String eventDate, String agreementId, String terminator, Reason why) {
        return new AgreementEvent("AgreementTerminatedEvent", eventDate, agreementId, terminator, "", why);
    }
}
