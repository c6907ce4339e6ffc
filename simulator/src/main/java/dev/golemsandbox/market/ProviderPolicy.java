package dev.golemsandbox.market;

import java.time.Instant;
import java.util.Optional;

/**
 * The decisions of one provider node that the market asks for: whether it proposes to a demand,
 * its answer to a counter-proposal, its decision on a confirmed agreement, and whether it ends an
 * approved one. The standard behaviour is {@code dev.golemsandbox.provider.StandardPolicy}; to
 * give one provider a different behaviour (a fault, another provider kind), give its node another
 * implementation of this interface.
 *
 * <pre>{@code
 * ProviderPolicy stubborn = new StandardPolicy() {
 *     public CounterAnswer answer(RequestorProposal counter, Slots slots) {
 *         return CounterAnswer.reject("provider " + counter.provider().name() + " negotiates with no one");
 *     }
 * };
 * Providers.start(specs, runtimes, spec -> spec.name().equals("stubborn") ? stubborn : new StandardPolicy(), timeouts);
 * }</pre>
 *
 * Every method is called under the market's lock, so the market's state cannot change while a
 * decision is made: answer at once, and never call back into the market.
 */
public interface ProviderPolicy {

    /** Whether the provider sends an Initial proposal to a demand: one just subscribed, or a waiting one when a slot frees up. */
    boolean proposesTo(RequestorProposal demand, Slots slots);

    /**
     * Why the provider turns down every counter-proposal of this demand whatever its slots (the
     * standard policy: its outbound rules refuse the demand's manifest), in the words of the
     * rejection the requestor would read; empty if it does not. The near miss shows it.
     */
    default Optional<String> refusal(RequestorProposal demand) {
        return Optional.empty();
    }

    /** The answer to the requestor's counter-proposal to one of its proposals: a Draft, or a rejection saying why. */
    CounterAnswer answer(RequestorProposal counter, Slots slots);

    /** The decision on an agreement the requestor confirmed (state Pending). */
    AgreementDecision decide(Agreement agreement, Slots slots);

    /**
     * Asked about each Approved agreement every second: why the provider breaks it now (a
     * {@link BreakReason} for the ones ya-provider has), or empty to keep it.
     */
    Optional<Reason> reasonToTerminate(Agreement agreement, Instant now);
}
