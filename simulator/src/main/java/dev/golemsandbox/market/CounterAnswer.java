package dev.golemsandbox.market;

import java.util.Map;

/**
 * A provider's answer to a counter-proposal: a {@link Draft} the requestor can make an agreement
 * from, or a {@link Rejection} whose reason the requestor reads in a {@code ProposalRejectedEvent}.
 *
 * <pre>{@code
 * return slots.anyFree() ? CounterAnswer.draft(offerProperties, offerConstraints)
 *         : CounterAnswer.reject("provider " + name + " has no free slot");
 * }</pre>
 */
public sealed interface CounterAnswer {

    /** The provider's Draft proposal: the properties and constraints an agreement made from it will hold. */
    record Draft(Map<String, Object> properties, String constraints) implements CounterAnswer {
    }

    /** The provider turns the counter-proposal down; that negotiation ends. */
    record Rejection(String reason) implements CounterAnswer {
    }

    static CounterAnswer draft(Map<String, Object> properties, String constraints) {
        return new Draft(properties, constraints);
    }

    static CounterAnswer reject(String reason) {
        return new Rejection(reason);
    }
}
