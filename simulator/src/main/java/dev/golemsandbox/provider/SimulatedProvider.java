package dev.golemsandbox.provider;

import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.VmRuntime;
import dev.golemsandbox.market.ProviderNode;
import dev.golemsandbox.market.ProviderPolicy;
import dev.golemsandbox.market.ProviderStatus;
import dev.golemsandbox.market.ProviderTimeouts;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A provider node of the sandbox: its configuration, the offer it publishes, the runtime its
 * activities run on (one VM per activity) and the policy that makes its decisions on the market.
 * Made by {@link Providers#start}; its billing is a {@link ProviderBilling} of its own.
 *
 * <pre>{@code
 * ProviderTimeouts timeouts = spec.timeouts().over(ProviderTimeouts.DEFAULTS);
 * SimulatedProvider node = new SimulatedProvider(spec, Offer.publish(spec, timeouts, now), runtime, new StandardPolicy(), timeouts);
 * }</pre>
 */
public record SimulatedProvider(ProviderSpec spec, Offer offer, VmRuntime runtime, ProviderPolicy policy,
                                ProviderTimeouts timeouts) implements ProviderNode {

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public String nodeId() {
        return spec.nodeId();
    }

    @Override
    public String offerId() {
        return offer.offerId();
    }

    @Override
    public Map<String, Object> offerProperties() {
        return offer.properties();
    }

    @Override
    public Instant offerTimestamp() {
        return offer.timestamp();
    }

    @Override
    public String offerConstraints() {
        return offer.constraints();
    }

    @Override
    public int capacity() {
        return spec.capacity();
    }

    /** The agreed {@code golem.inf.cpu.threads}, {@code mem.gib} and {@code storage.gib}; the spec's where one is missing or not a number. */
    @Override
    public Resources resourcesFor(Map<String, Object> agreedOffer) {
        int threads = (int) Math.max(1, number(agreedOffer.get("golem.inf.cpu.threads"), spec.threads()));
        long memMib = Math.max(64, Math.round(number(agreedOffer.get("golem.inf.mem.gib"), spec.memGib()) * 1024));
        long storageMib = Math.max(1, Math.round(number(agreedOffer.get("golem.inf.storage.gib"), spec.storageGib()) * 1024));
        return new Resources(threads, memMib, storageMib);
    }

    @Override
    public ProviderStatus status(List<String> heldAgreements) {
        return new ProviderStatus(spec.name(), spec.nodeId(), spec.cores(), spec.threads(), spec.memGib(), spec.storageGib(),
                spec.capacity(), heldAgreements.size(), spec.pricing().coeffs(), spec.subnet(), offer.offerId(), heldAgreements, spec.capabilities(), timeouts.seconds(),
                spec.outbound().summary());
    }

    private static double number(Object value, double fallback) {
        double parsed;
        try {
            parsed = value instanceof Number n ? n.doubleValue() : value == null ? fallback : Double.parseDouble(value.toString());
        } catch (NumberFormatException e) {
            return fallback;
        }
        return Double.isFinite(parsed) ? parsed : fallback;
    }
}
