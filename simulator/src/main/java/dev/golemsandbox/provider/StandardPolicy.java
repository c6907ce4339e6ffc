package dev.golemsandbox.provider;

import dev.golemsandbox.manifest.OutboundRules;
import dev.golemsandbox.market.Agreement;
import dev.golemsandbox.market.AgreementDecision;
import dev.golemsandbox.market.BreakReason;
import dev.golemsandbox.market.CounterAnswer;
import dev.golemsandbox.market.ProviderNode;
import dev.golemsandbox.market.ProviderPolicy;
import dev.golemsandbox.market.ProviderTimeouts;
import dev.golemsandbox.market.Reason;
import dev.golemsandbox.market.RequestorProposal;
import dev.golemsandbox.market.Slots;
import dev.golemsandbox.market.constraint.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a well-behaved provider decides, as ya-provider does by default: it proposes to every
 * demand its offer matches while it has a free slot; it answers a counter-proposal with a Draft
 * of its offer that takes over the requestor's debit-note interval and payment timeout, unless it
 * has no free slot, either side's constraints fail, or its outbound rules ({@link ProviderSpec#outbound()})
 * refuse the demand's manifest (as ya-provider's manifest negotiator words it: {@code invalid manifest: ...},
 * {@code outbound is disabled}, {@code Outbound rejected because: ...}); it agrees to a lower debit-note
 * accept-timeout down to 5 s; it approves a confirmed agreement if it still has a free slot; it
 * breaks an agreement once the demand's {@code golem.srv.comp.expiration} has passed
 * ({@code Expired}) or when no activity ran under it for its no-activity timeout
 * ({@code NoActivity}, 90 s unless configured).
 *
 * <pre>{@code
 * Providers.start(specs, runtimes, spec -> new StandardPolicy(), ProviderTimeouts.DEFAULTS);
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
        Optional<String> manifestRefusal = refusal(counter);
        if (manifestRefusal.isPresent()) {
            return CounterAnswer.reject(manifestRefusal.get());
        }
        String refusal = acceptTimeoutRefusal(counter.properties());
        if (refusal != null) {
            return CounterAnswer.reject(refusal);
        }
        return CounterAnswer.draft(negotiated(provider.offerProperties(), counter.properties()), provider.offerConstraints());
    }

    /** Its outbound rules on the demand's manifest; a node that is not one of the sandbox's providers has outbound off. */
    @Override
    public Optional<String> refusal(RequestorProposal demand) {
        OutboundRules rules = demand.provider() instanceof SimulatedProvider p ? p.spec().outbound() : OutboundRules.DISABLED;
        return rules.refusal(demand.properties(), demand.requestorId(), Instant.now());
    }

    @Override
    public AgreementDecision decide(Agreement agreement, Slots slots) {
        return slots.anyFree() ? AgreementDecision.approve() : AgreementDecision.reject(noFreeSlot(agreement.provider(), slots));
    }

    @Override
    public Optional<Reason> reasonToTerminate(Agreement agreement, Instant now) {
        Instant expiration = agreement.expiration();
        if (expiration != null && now.isAfter(expiration)) {
            return Optional.of(BreakReason.expired(expiration));
        }
        Duration noActivity = agreement.provider().timeouts().noActivity();
        Instant idleSince = agreement.idleSince();
        if (!noActivity.isZero() && idleSince != null && !now.isBefore(idleSince.plus(noActivity))) {
            return Optional.of(BreakReason.noActivity(noActivity));
        }
        return Optional.empty();
    }

    /**
     * The offer's properties, with the requestor's debit-note interval and payment timeout taken
     * over when the provider takes part in mid-agreement payments at all (its offer names them),
     * and the accept-timeout the requestor asked for if it is lower than the provider's (a higher
     * one keeps the provider's); without one from the requestor, no deadline is agreed.
     */
    private static Map<String, Object> negotiated(Map<String, Object> offer, Map<String, Object> counter) {
        Map<String, Object> properties = new TreeMap<>(offer);
        for (String key : List.of(Offer.DEBIT_NOTE_INTERVAL, Offer.PAYMENT_TIMEOUT)) {
            if (properties.containsKey(key) && counter.get(key) instanceof Number asked && asked.doubleValue() >= 1) {
                properties.put(key, asked.longValue());
            }
        }
        if (!(counter.get(Offer.ACCEPT_TIMEOUT) instanceof Number asked)) {
            properties.remove(Offer.ACCEPT_TIMEOUT);
        } else if (properties.get(Offer.ACCEPT_TIMEOUT) instanceof Number own && asked.doubleValue() < own.doubleValue()) {
            properties.put(Offer.ACCEPT_TIMEOUT, asked.longValue());
        }
        return properties;
    }

    /** Why the requestor's accept-timeout is refused (below the provider's minimum), or null. */
    private static String acceptTimeoutRefusal(Map<String, Object> counter) {
        Object asked = counter.get(Offer.ACCEPT_TIMEOUT);
        if (asked == null) {
            return null;
        }
        long minimum = ProviderTimeouts.MIN_DEBIT_NOTE_ACCEPT_TIMEOUT.toSeconds();
        if (!(asked instanceof Number n) || n.doubleValue() < minimum) {
            return "the counter-proposal's " + Offer.ACCEPT_TIMEOUT + " " + asked + " is below the provider's minimum of "
                    + minimum + " s: a requestor needs that long to accept a debit note";
        }
        return null;
    }

    private static String noFreeSlot(ProviderNode provider, Slots slots) {
        return "provider " + provider.name() + " has no free slot: all " + slots.capacity() + " are in use";
    }
}
