package dev.golemsandbox.provider;

import dev.golemsandbox.exeunit.VmRuntime;
import dev.golemsandbox.market.ProviderPolicy;
import dev.golemsandbox.market.ProviderTimeouts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated provider nodes of one sandbox, each with its own runtime made by the factory given
 * (the QEMU runtime in the product, a fake in unit tests) and its own policy (the
 * {@link StandardPolicy} unless a provider is to behave differently). Closing them closes every
 * runtime, which stops every VM still running.
 *
 * <pre>{@code
 * try (Providers providers = Providers.start(ProviderSpec.defaults(3), spec -> new QemuVmRuntime(...),
 *         spec -> new StandardPolicy(), ProviderTimeouts.DEFAULTS)) {
 *     providers.all().forEach(p -> System.out.println(p.name() + " " + p.nodeId()));
 * }
 * }</pre>
 */
public final class Providers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

    private final List<SimulatedProvider> all;

    private Providers(List<SimulatedProvider> all) {
        this.all = List.copyOf(all);
    }

    /**
     * Publishes an offer for each spec and makes each provider's runtime.
     *
     * @param runtimes          makes the runtime of each provider
     * @param policies          the policy of each provider: how it decides on the market
     * @param timeouts          the sandbox's timeouts, for those a provider does not set itself
     */
    public static Providers start(List<ProviderSpec> specs, Function<ProviderSpec, VmRuntime> runtimes,
                                  Function<ProviderSpec, ProviderPolicy> policies, ProviderTimeouts timeouts) {
        Instant now = Instant.now();
        List<SimulatedProvider> started = new ArrayList<>();
        try {
            for (ProviderSpec spec : specs) {
                ProviderPolicy policy = policies.apply(spec);
                ProviderTimeouts own = spec.timeouts().over(timeouts);
                VmRuntime runtime = runtimes.apply(spec);
                Offer offer = Offer.publish(spec, own, now);
                // Every provider of a runtime that joins networks says so; none of one that cannot.
                offer = runtime.supportsVpn() ? offer.withRuntimeCapability("vpn") : offer.withoutRuntimeCapability("vpn");
                started.add(new SimulatedProvider(spec, offer, runtime, policy, own));
            }
        } catch (RuntimeException e) {
            new Providers(started).close();
            throw e;
        }
        return new Providers(started);
    }

    /** Every provider, in configuration order. */
    public List<SimulatedProvider> all() {
        return all;
    }

    /** Closes every provider's runtime; a failure of one is logged and does not stop the others. */
    @Override
    public void close() {
        for (SimulatedProvider provider : all) {
            try {
                provider.runtime().close();
            } catch (RuntimeException e) {
                LOG.warn("closing the runtime of provider {} failed: {}", provider.name(), e.toString());
            }
        }
    }
}
