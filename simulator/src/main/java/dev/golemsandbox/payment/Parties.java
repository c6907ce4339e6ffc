package dev.golemsandbox.payment;

import dev.golemsandbox.market.Agreement;
import java.util.Map;

/**
 * Who pays whom, and on which platform, under an agreement: the platform the requestor chose
 * ({@code golem.com.payment.chosen-platform}, which golem-js puts in its counter-proposal) if the
 * offer has an address on it, else the first platform both sides have an address on.
 */
record Parties(String issuerId, String recipientId, String payeeAddr, String payerAddr, String platform) {

    private static final String ADDRESS = "golem.com.payment.platform.%s.address";

    static Parties of(Agreement agreement) {
        Map<String, Object> demand = agreement.demandProperties();
        Map<String, Object> offer = agreement.offerProperties();
        String platform = null;
        if (demand.get("golem.com.payment.chosen-platform") instanceof String chosen && offer.containsKey(ADDRESS.formatted(chosen))) {
            platform = chosen;
        }
        if (platform == null) {
            platform = agreement.provider().spec().paymentPlatforms().stream()
                    .filter(p -> demand.containsKey(ADDRESS.formatted(p)))
                    .findFirst()
                    .orElse(agreement.provider().spec().paymentPlatforms().get(0));
        }
        Object payee = offer.get(ADDRESS.formatted(platform));
        Object payer = demand.get(ADDRESS.formatted(platform));
        return new Parties(agreement.provider().nodeId(), agreement.requestorId(),
                payee == null ? agreement.provider().spec().paymentAddress() : payee.toString(),
                payer == null ? agreement.requestorId() : payer.toString(),
                platform);
    }
}
