package dev.golemsandbox.activity;

import dev.golemsandbox.exeunit.InetInterface;

/**
 * Gives an activity's VM the outbound access its agreement was granted, at deploy: resolves the
 * grant's URLs and opens the VM's link to the outbound gateway, which lets through only what the
 * grant allows. {@link #NONE} refuses every grant (a sandbox without a gateway).
 */
public interface OutboundAccess {

    /** Refuses every grant. */
    OutboundAccess NONE = (grant, activityId) -> {
        throw new IllegalArgumentException("this sandbox gives no VM outbound access");
    };

    /**
     * A link for the VM of activity {@code activityId}, filtered by {@code grant}.
     *
     * @throws IllegalArgumentException saying why not
     */
    Link open(OutboundGrant grant, String activityId);

    /** A VM's link to the gateway, held as long as the VM: closing it ends every connection through it. */
    interface Link extends AutoCloseable {

        /** How the VM's outbound interface is configured and where its frames go. */
        InetInterface inetInterface();

        @Override
        void close();
    }
}
