package dev.golemsandbox.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One VPN the requestor created: its range, gateway, the nodes by address and the requestor's own
 * addresses. The requestor picks every address; this checks them (in range, not taken) and is the
 * node table frames are routed by, so a node added or removed takes effect on the next frame.
 * Thread-safe.
 */
public final class VpnNetwork {

    /** At most this many nodes per network: a runaway client gets a 409, not an exhausted heap. */
    static final int MAX_NODES = 1024;

    private final String id;
    private final Ipv4Range range;
    private final Ipv4 gateway;
    private final Map<Ipv4, String> nodes = new TreeMap<>();
    private final List<Ipv4> requestorAddresses = new ArrayList<>();

    VpnNetwork(String id, Ipv4Range range, Ipv4 gateway) {
        this.id = id;
        this.range = range;
        this.gateway = gateway;
        requestorAddresses.add(range.firstHost());
    }

    public String id() {
        return id;
    }

    public Ipv4Range range() {
        return range;
    }

    public Ipv4 gateway() {
        return gateway;
    }

    /** The node at {@code ip}, if any. */
    public synchronized Optional<String> nodeAt(Ipv4 ip) {
        return Optional.ofNullable(nodes.get(ip));
    }

    /** The nodes by address, a snapshot. */
    public synchronized Map<Ipv4, String> nodes() {
        return Map.copyOf(nodes);
    }

    /** The requestor's own addresses in the network (the first host, plus any added), a snapshot. */
    public synchronized List<Ipv4> requestorAddresses() {
        return List.copyOf(requestorAddresses);
    }

    /**
     * Adds node {@code nodeId} at {@code ip}; adding the same node at the same address again is
     * no change.
     *
     * @throws NetworkException.OutOfRange if the address is outside the network
     * @throws NetworkException.Taken      if another node has it, or the network is full
     */
    synchronized void addNode(String nodeId, Ipv4 ip) {
        checkInRange(ip);
        String holder = nodes.get(ip);
        if (holder != null) {
            if (holder.equals(nodeId)) {
                return;
            }
            throw new NetworkException.Taken("IP address " + ip + " is taken in network " + id + " (by node " + holder + ")");
        }
        if (nodes.size() >= MAX_NODES) {
            throw new NetworkException.Taken("network " + id + " already has " + MAX_NODES + " nodes, the most it takes");
        }
        nodes.put(ip, nodeId);
    }

    /** Removes every address of {@code nodeId}; an unknown node is no change (as yagna answers). */
    synchronized void removeNode(String nodeId) {
        nodes.values().removeIf(nodeId::equals);
    }

    /**
     * Gives the requestor another address.
     *
     * @throws NetworkException.OutOfRange outside the network
     * @throws NetworkException.Taken      if it is already the requestor's
     */
    synchronized void addRequestorAddress(Ipv4 ip) {
        checkInRange(ip);
        if (requestorAddresses.contains(ip)) {
            throw new NetworkException.Taken("IP address " + ip + " is already the requestor's in network " + id);
        }
        if (requestorAddresses.size() >= MAX_NODES) {
            throw new NetworkException.Taken("the requestor already has " + MAX_NODES + " addresses in network " + id);
        }
        requestorAddresses.add(ip);
    }

    private void checkInRange(Ipv4 ip) {
        if (!range.contains(ip)) {
            throw new NetworkException.OutOfRange("IP address " + ip + " is outside network " + id + " (" + range.cidr() + ")");
        }
    }
}
