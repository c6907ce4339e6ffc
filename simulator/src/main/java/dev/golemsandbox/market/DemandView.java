package dev.golemsandbox.market;

import java.util.Map;

/** A subscribed demand as {@code GET /demands} lists it. */
public record DemandView(String demandId, String requestorId, Map<String, Object> properties, String constraints, String timestamp) {
}
