package dev.golemsandbox.provider;

import dev.golemsandbox.http.IsoTime;
import dev.golemsandbox.market.Agreement;
import dev.golemsandbox.market.AgreementDecision;
import dev.golemsandbox.market.CounterAnswer;
import dev.golemsandbox.market.ProviderNode;
import dev.golemsandbox.market.ProviderPolicy;
import dev.golemsandbox.market.RequestorProposal;
import dev.golemsandbox.market.Slots;
import dev.golemsandbox.market.constraint.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a well-behaved provider decides, as ya-provider does by default: it proposes to every
 * demand its offer matches while it has a free slot; it answers a counter-proposal with a Draft
 * of its offer that takes over the requestor's debit-note interval and payment timeout, unless it
 * has no free slot or either side's constraints fail; it approves a confirmed agreement if it
 * still has a free slot; it ends an agreement once the demand's {@code golem.srv.comp.expiration}
 * has passed.
 *
 * <pre>{@code
 * Providers.start(specs, runtimes, spec -> new StandardPolicy(), debitNoteInterval);
 * }</pre>
 *
 * Stateless. Not final on purpose: a provider that differs in one decision (a fault to inject)
 * extends it and overrides that one method.
 */
public class StandardPolicy implements ProviderPolicy {

    @Override
    public boolean proposesTo(RequestorProposal demand, Slots slots) {
        return demand.matches() && slots.anyFree();
    }

    @Override
    public CounterAnswer answer(RequestorProposal counter, Slots slots) {
        ProviderNode provider = counter.provider();
        if (!slots.anyFree()) {
            return CounterAnswer.reject(noFreeSlot(provider, slots));
        }
        Verdict onOffer = counter.demandSide();
        Verdict onCounter = counter.offerSide();
        if (!onOffer.holds()) {
            return CounterAnswer.reject("the counter-proposal's constraint " + onOffer.clause() + " does not hold for the offer: " + onOffer.reason());
        }
        if (!onCounter.holds()) {
            return CounterAnswer.reject("the offer's constraint " + onCounter.clause() + " does not hold for the counter-proposal: " + onCounter.reason());
        }
        return CounterAnswer.draft(negotiated(provider.offerProperties(), counter.properties()), provider.offerConstraints());
    }

    @Override
    public AgreementDecision decide(Agreement agreement, Slots slots) {
        return slots.anyFree() ? AgreementDecision.approve() : AgreementDecision.reject(noFreeSlot(agreement.provider(), slots));
    }

    @Override
    public Optional<String> reasonToTerminate(Agreement agreement, Instant now) {
        Instant expiration = agreement.expiration();
        if (expiration != null && now.isAfter(expiration)) {
            return Optional.of("the agreement expired (golem.srv.comp.expiration " + IsoTime.format(expiration) + " passed)");
        }
        return Optional.empty();
    }

    /**
     * The offer's properties, with the requestor's debit-note interval and payment timeout taken
     * over when the provider takes part in mid-agreement payments at all (its offer names them).
     */
    private static Map<String, Object> negotiated(Map<String, Object> offer, Map<String, Object> counter) {
        Map<String, Object> properties = new TreeMap<>(offer);
        for (String key : List.of(Offer.DEBIT_NOTE_INTERVAL, Offer.PAYMENT_TIMEOUT)) {
            if (properties.containsKey(key) && counter.get(key) instanceof Number asked && asked.doubleValue() >= 1) {
                properties.put(key, asked.longValue());
            }
        }
        return properties;
    }

    private static String noFreeSlot(ProviderNode provider, Slots slots) {
        return "provider " + provider.name() + " has no free slot: all " + slots.capacity() + " are in use";
    }
}
