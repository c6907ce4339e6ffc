package dev.golemsandbox.inet;

import dev.golemsandbox.activity.OutboundGrant;
import dev.golemsandbox.exeunit.InetInterface;
import dev.golemsandbox.net.Ipv4;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a VM may reach through the gateway, as the exe-unit's filter decides it: the (protocol,
 * address, port) combinations the grant's URLs resolve to when the VM is deployed ({@code udp}
 * URLs give UDP, every other scheme TCP; the port is the URL's or its scheme's default), or, for an
 * unrestricted grant, any address that is not the host itself. Resolved once: a name that later
 * resolves elsewhere does not widen it.
 *
 * <p>The host's loopback is where a requestor's local test servers live, but a guest's own
 * 127.0.0.1 is its own: a granted loopback address appears to the guest as the gateway (as QEMU's
 * user network shows the host at 10.0.2.2), and the gateway's DNS answers it for granted names.
 */
public final class OutboundFilter {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundFilter.class);
    static final Ipv4 GATEWAY = Ipv4.parse(InetInterface.GATEWAY);
    private static final Ipv4 GUEST_NETWORK = Ipv4.parse("10.42.42.0");

    /** Resolves a grant's host name on the host, as the exe-unit does at activity start. */
    @FunctionalInterface
    public interface HostResolver {
        List<Ipv4> resolve(String host) throws UnknownHostException;

        /** The host's resolver (IPv4 answers only: the guest has no IPv6). */
        HostResolver SYSTEM = host -> {
            List<Ipv4> addresses = new ArrayList<>();
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (address instanceof Inet4Address) {
                    addresses.add(Ipv4.parse(address.getHostAddress()));
                }
            }
            return addresses;
        };
    }

    enum Protocol { TCP, UDP }

    /** One allowed destination, as the host reaches it. */
    record Target(Protocol protocol, Ipv4 address, int port) {
    }

    private final boolean unrestricted;
    private final Set<Target> allowed;
    private final Map<String, List<Ipv4>> names;
    private final Set<Ipv4> hostAddresses;

    private OutboundFilter(boolean unrestricted, Set<Target> allowed, Map<String, List<Ipv4>> names, Set<Ipv4> hostAddresses) {
        this.unrestricted = unrestricted;
        this.allowed = Set.copyOf(allowed);
        this.names = Map.copyOf(names);
        this.hostAddresses = Set.copyOf(hostAddresses);
    }

    /**
     * The filter of {@code grant}, its names resolved now by {@code resolver}. A name that does not
     * resolve allows nothing (logged), as on a provider whose resolver fails.
     *
     * @param hostAddresses the host's own addresses, which an unrestricted grant does not reach
     */
    public static OutboundFilter of(OutboundGrant grant, HostResolver resolver, Set<Ipv4> hostAddresses) {
        Set<Target> allowed = new LinkedHashSet<>();
        Map<String, List<Ipv4>> names = new LinkedHashMap<>();
        for (URI url : grant.urls()) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            String host = hostOf(url);
            int port = url.getPort() > 0 ? url.getPort() : defaultPort(scheme);
            if (host == null || port <= 0) {
                LOG.info("outbound: {} names no host and port, so it allows nothing", url);
                continue;
            }
            Protocol protocol = scheme.equals("udp") ? Protocol.UDP : Protocol.TCP;
            List<Ipv4> addresses;
            try {
                addresses = isLiteral(host) ? List.of(Ipv4.parse(host)) : resolver.resolve(host);
            } catch (UnknownHostException | IllegalArgumentException e) {
                LOG.info("outbound: {} does not resolve on this machine, so it allows nothing", host);
                continue;
            }
            for (Ipv4 address : addresses) {
                allowed.add(new Target(protocol, address, port));
            }
            if (!isLiteral(host)) {
                names.merge(host, addresses, (a, b) -> {
                    List<Ipv4> both = new ArrayList<>(a);
                    b.stream().filter(ip -> !both.contains(ip)).forEach(both::add);
                    return both;
                });
            }
        }
        return new OutboundFilter(grant.unrestricted(), allowed, names, hostAddresses);
    }

    /** Whether the grant reaches any address (so the gateway's DNS resolves any name, not only the grant's). */
    public boolean unrestricted() {
        return unrestricted;
    }

    /** Of the addresses a name resolved to, those the guest may reach (for an unrestricted grant's DNS answers). */
    public List<Ipv4> reachable(List<Ipv4> addresses) {
        return addresses.stream().filter(ip -> unrestricted && !isHostOrSpecial(ip)).distinct().toList();
    }

    /** Where the host connects for the guest's TCP connection to {@code destination:port}; empty: denied. */
    public Optional<Target> tcp(Ipv4 destination, int port) {
        return target(Protocol.TCP, destination, port);
    }

    /** Where the host sends the guest's UDP datagrams to {@code destination:port}; empty: denied. */
    public Optional<Target> udp(Ipv4 destination, int port) {
        return target(Protocol.UDP, destination, port);
    }

    private Optional<Target> target(Protocol protocol, Ipv4 destination, int port) {
        if (destination.equals(GATEWAY) || isLoopback(destination)) {
            // Only a granted loopback address, and for the gateway the first one granted on this port.
            return allowed.stream()
                    .filter(t -> t.protocol() == protocol && t.port() == port && isLoopback(t.address()))
                    .filter(t -> destination.equals(GATEWAY) || t.address().equals(destination))
                    .findFirst();
        }
        Target wanted = new Target(protocol, destination, port);
        if (allowed.contains(wanted)) {
            return Optional.of(wanted);
        }
        if (unrestricted && port > 0 && !isHostOrSpecial(destination)) {
            return Optional.of(wanted);
        }
        return Optional.empty();
    }

    /**
     * The addresses the gateway's DNS gives the guest for {@code name}: what it resolved to at
     * deploy, loopback shown as the gateway; empty when the grant does not name it.
     */
    public Optional<List<Ipv4>> guestAddressesOf(String name) {
        List<Ipv4> resolved = names.get(name.toLowerCase(Locale.ROOT));
        if (resolved == null) {
            return Optional.empty();
        }
        List<Ipv4> seen = new ArrayList<>();
        for (Ipv4 address : resolved) {
            Ipv4 shown = isLoopback(address) ? GATEWAY : address;
            if (!seen.contains(shown)) {
                seen.add(shown);
            }
        }
        return Optional.of(seen);
    }

    private boolean isHostOrSpecial(Ipv4 ip) {
        int v = ip.value();
        int first = v >>> 24;
        return hostAddresses.contains(ip)
                || first == 0 || first == 127 || first >= 224                  // this host, loopback, multicast, reserved
                || (v & 0xffff0000) == 0xa9fe0000                               // link-local (cloud metadata services)
                || (v & 0xffffff00) == GUEST_NETWORK.value();                   // the guest's own network
    }

    private static boolean isLoopback(Ipv4 ip) {
        return (ip.value() >>> 24) == 127;
    }

    private static String hostOf(URI url) {
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            return null;
        }
        host = host.toLowerCase(Locale.ROOT);
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static boolean isLiteral(String host) {
        return host.matches("[0-9.]+");
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }
}
