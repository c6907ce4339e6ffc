package dev.golemsandbox.manifest;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * {@code compManifest.net.inet.out} of a manifest: the hosts its VMs want to reach, or every host.
 *
 * @param protocols    the URL schemes it uses; {@code http, https, ws, wss} when the manifest names none
 * @param urls         the URLs it reaches (absolute, with a host); empty when unrestricted
 * @param unrestricted {@code unrestricted.urls: true}: any host
 */
public record OutboundRequest(List<String> protocols, List<URI> urls, boolean unrestricted) {

    /** The protocols of a manifest that names none, as ya-manifest-utils has them. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("http", "https", "ws", "wss");

    public OutboundRequest {
        protocols = List.copyOf(protocols);
        urls = List.copyOf(urls);
    }

    /** Whether it asks for anything at all: only then does a provider check its rules. */
    public boolean requested() {
        return unrestricted || !urls.isEmpty();
    }

    /** The URLs whose scheme is one of its protocols: what the VM may reach. */
    public List<URI> usableUrls() {
        return urls.stream().filter(u -> protocols.contains(u.getScheme().toLowerCase(Locale.ROOT))).toList();
    }
}
