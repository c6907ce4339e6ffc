package dev.golemsandbox.activity;

import java.net.URI;
import java.util.List;

/**
 * The outbound access a provider granted an agreement by accepting its computation manifest
 * ({@code compManifest.net.inet.out}): either every host ({@code unrestricted}) or exactly the
 * (protocol, address, port) combinations that {@code urls} resolve to when the VM is deployed.
 * An agreement without a grant gives its VMs no outbound access at all.
 *
 * @param unrestricted the manifest asked for {@code unrestricted.urls} and the provider's rules allowed it
 * @param urls         the manifest's URLs whose scheme is one of its protocols (empty when unrestricted)
 */
public record OutboundGrant(boolean unrestricted, List<URI> urls) {

    public OutboundGrant {
        urls = List.copyOf(urls);
        if (unrestricted && !urls.isEmpty()) {
            throw new IllegalArgumentException("an unrestricted grant lists no URLs");
        }
    }
}
