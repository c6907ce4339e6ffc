package dev.golemsandbox.provider;

import java.util.List;

/**
 * The {@code golem.runtime.capabilities} the sandbox's VM runtime really provides, which is all a
 * provider may advertise: a requestor that asks for {@code vpn} must not get an offer whose
 * activities cannot join a network. Providers advertise the ones their configuration lists
 * ({@link ProviderSpec#capabilities()}); the default fleet lists all of these.
 */
public final class RuntimeCapabilities {

    /** {@code vpn}: VMs join networks; {@code inet} and {@code manifest-support} join this list as the runtime learns them. */
    public static final List<String> SUPPORTED = List.of("vpn");

    private RuntimeCapabilities() {
    }
}
