package dev.golemsandbox.activity;

import dev.golemsandbox.activity.exescript.ExeCommand;
import dev.golemsandbox.exeunit.VpnInterface;
import java.util.Map;

/**
 * Puts an activity's VM into a VPN at deploy: checks the network and the VM's address against the
 * requestor's networks and opens the VM's link to the frame router. {@link #NONE} refuses every
 * network (a sandbox without a Net API).
 */
public interface VpnJoiner {

    /** Refuses to join any network. */
    VpnJoiner NONE = (network, providerId, hosts) -> {
        throw new IllegalArgumentException("this sandbox has no VPN: deploy without \"net\"");
    };

    /**
     * The VM of provider {@code providerId} joins {@code network} at its {@code nodeIp}.
     *
     * @param hosts names by address for the VM's {@code /etc/hosts}
     * @throws IllegalArgumentException saying why not (unknown network, address not the provider's)
     */
    Membership join(ExeCommand.Deploy.Network network, String providerId, Map<String, String> hosts);

    /** A VM's place in a VPN, held as long as the VM: closing it takes the VM's link down. */
    interface Membership extends AutoCloseable {

        /** How the VM's interface is configured and where its frames go. */
        VpnInterface vpnInterface();

        @Override
        void close();
    }
}
