package dev.golemsandbox.market;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An agreement as {@code GET /agreements/{id}} shows it. {@code demand.demandId} is the
 * subscription the agreement came from, which golem-js checks.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgreementView(String agreementId, DemandSide demand, OfferSide offer, String validTo, String approvedDate,
                            String state, String timestamp, String appSessionId) {

    /** The requestor's side: the properties and constraints of its last counter-proposal. */
    public record DemandSide(Map<String, Object> properties, String constraints, String demandId, String requestorId,
                             String timestamp) {
    }

    /** The provider's side: the properties and constraints of its Draft answer. */
    public record OfferSide(Map<String, Object> properties, String constraints, String offerId, String providerId,
                            String timestamp) {
    }
}
