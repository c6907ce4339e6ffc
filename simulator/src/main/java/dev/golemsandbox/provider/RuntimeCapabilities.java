package dev.golemsandbox.provider;

import java.util.List;

/**
 * The {@code golem.runtime.capabilities} the sandbox's VM runtime really provides, which is all a
 * provider may advertise: a requestor that asks for {@code vpn} must not get an offer whose
 * activities cannot join a network. Providers advertise the ones their configuration lists
 * ({@link ProviderSpec#capabilities()}); the default fleet lists all of these.
 */
public final class RuntimeCapabilities {

    /**
     * {@code vpn}: VMs join networks; {@code inet}: VMs reach the hosts their agreement's manifest
     * was granted ({@code dev.golemsandbox.activity.OutboundGrant}); {@code manifest-support}: the
     * provider reads a demand's computation manifest ({@code golem.srv.comp.payload}).
     */
    public static final List<String> SUPPORTED = List.of("vpn", "inet", "manifest-support");

    /** The capability of reading manifests; an offer with it also says {@code golem.srv.caps.payload-manifest: true}. */
    public static final String MANIFEST_SUPPORT = "manifest-support";

    private RuntimeCapabilities() {
    }
}
