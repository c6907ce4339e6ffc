package dev.golemsandbox.market;

import dev.golemsandbox.http.EventQueue;
import dev.golemsandbox.market.constraint.Constraint;
import dev.golemsandbox.market.constraint.PropertySet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A requestor's demand subscription and the negotiations held on it. Guarded by the market's lock. */
final class Demand {

    final String id;
    final String requestorId;
    final Map<String, Object> properties;
    final PropertySet propertySet;
    final String constraintsText;
    final Constraint constraints;
    final Instant timestamp;
    final EventQueue<ProposalEvent> events;
    final Map<String, Proposal> proposals = new LinkedHashMap<>();
    boolean unsubscribed;

    Demand(String id, String requestorId, Map<String, Object> properties, String constraintsText, Constraint constraints,
           Instant timestamp, EventQueue<ProposalEvent> events) {
        this.id = id;
        this.requestorId = requestorId;
        this.propertySet = PropertySet.of(properties);
        this.properties = propertySet.asMap();
        this.constraintsText = constraintsText;
        this.constraints = constraints;
        this.timestamp = timestamp;
        this.events = events;
    }
}
