package dev.golemsandbox.net;

import dev.golemsandbox.http.Ids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The requestor's VPNs, by id: the state behind the Net API and what the frame router and the TCP
 * proxy look addresses up in. Thread-safe.
 *
 * <pre>{@code
 * VpnNetwork net = networks.create(null, Ipv4Range.parse("192.168.7.0", "255.255.255.0"), null);
 * networks.addNode(net.id(), providerId, Ipv4.parse("192.168.7.2"));
 * }</pre>
 */
public final class Networks {

    /** At most this many networks at once. */
    static final int MAX_NETWORKS = 256;

    private final Map<String, VpnNetwork> byId = new LinkedHashMap<>();
    private final List<Consumer<VpnNetwork>> removalListeners = new CopyOnWriteArrayList<>();

    /**
     * A new network over {@code range}; {@code id} null for a fresh one, {@code gateway} null
     * for the range's first host.
     *
     * @throws NetworkException.Taken      if the id is taken or there are too many networks
     * @throws NetworkException.OutOfRange if the gateway is outside the range
     */
    public synchronized VpnNetwork create(String id, Ipv4Range range, Ipv4 gateway) {
        if (gateway != null && !range.contains(gateway)) {
            throw new NetworkException.OutOfRange("gateway " + gateway + " is outside the network " + range.cidr());
        }
        String chosen = id != null ? id : Ids.hex(16);
        if (byId.containsKey(chosen)) {
            throw new NetworkException.Taken("network id " + chosen + " is taken");
        }
        if (byId.size() >= MAX_NETWORKS) {
            throw new NetworkException.Taken("there are already " + MAX_NETWORKS + " networks, the most the sandbox keeps: delete some");
        }
        VpnNetwork network = new VpnNetwork(chosen, range, gateway != null ? gateway : range.firstHost());
        byId.put(chosen, network);
        return network;
    }

    /** @throws NetworkException.UnknownNetwork if there is none with that id */
    public synchronized VpnNetwork get(String id) {
        VpnNetwork network = byId.get(id);
        if (network == null) {
            throw new NetworkException.UnknownNetwork("network " + id + " not found");
        }
        return network;
    }

    /** The network with that id, or null. */
    public synchronized VpnNetwork find(String id) {
        return byId.get(id);
    }

    public synchronized List<VpnNetwork> all() {
        return new ArrayList<>(byId.values());
    }

    /** @throws NetworkException.UnknownNetwork if there is none with that id */
    public void remove(String id) {
        VpnNetwork removed;
        synchronized (this) {
            removed = byId.remove(id);
        }
        if (removed == null) {
            throw new NetworkException.UnknownNetwork("network " + id + " not found");
        }
        removalListeners.forEach(listener -> listener.accept(removed));
    }

    /** See {@link VpnNetwork#addNode}; also throws {@link NetworkException.UnknownNetwork}. */
    public void addNode(String networkId, String nodeId, Ipv4 ip) {
        get(networkId).addNode(nodeId, ip);
    }

    /** See {@link VpnNetwork#removeNode}; also throws {@link NetworkException.UnknownNetwork}. */
    public void removeNode(String networkId, String nodeId) {
        get(networkId).removeNode(nodeId);
    }

    /** Called with each network after it was removed (to close what still uses it). */
    public void onRemoval(Consumer<VpnNetwork> listener) {
        removalListeners.add(listener);
    }
}
