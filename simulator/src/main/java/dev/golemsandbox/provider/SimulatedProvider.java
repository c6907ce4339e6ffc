package dev.golemsandbox.provider;

import dev.golemsandbox.exeunit.VmRuntime;

/**
 * A provider node of the sandbox: its configuration, the offer it publishes, and the runtime its
 * activities run on (one VM per activity). How many agreements it holds at a time is the
 * market's business; see {@code dev.golemsandbox.market.Market}.
 */
public record SimulatedProvider(ProviderSpec spec, Offer offer, VmRuntime runtime) {

    public String name() {
        return spec.name();
    }

    public String nodeId() {
        return spec.nodeId();
    }
}
