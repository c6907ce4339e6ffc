package dev.golemsandbox.market;

import java.util.Map;

/**
 * A provider's offer as a market scan hands it out ({@code Offer} of the Market API): the fields
 * golem-js's {@code ScannedOffer} reads, with the properties in their flat dotted form.
 */
public record OfferView(String offerId, String providerId, Map<String, Object> properties, String constraints,
                        String timestamp) {
}
