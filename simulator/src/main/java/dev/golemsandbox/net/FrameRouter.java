package dev.golemsandbox.net;

import dev.golemsandbox.activity.VpnJoiner;
import dev.golemsandbox.activity.exescript.ExeCommand;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes Ethernet frames between the nodes of each VPN, as the exe-unit does: a frame goes to the
 * node owning its ARP target or IPv4 destination, a broadcast to every node of the network, and
 * anything else is dropped. The node table is the Net API's, read for every frame, so nodes added
 * or removed take effect at once. A frame whose sender addresses are not the VM's own is dropped,
 * so no VM can speak for another. Frames for the requestor's addresses go to its
 * {@link RequestorNode}. One thread serves every link.
 */
public final class FrameRouter implements VpnJoiner, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FrameRouter.class);
    private static final int MAX_FRAME = 65536;

    private final Networks networks;
    private final Selector selector;
    private final Thread thread;
    private final Map<String, Map<Ipv4, VmLink>> links = new ConcurrentHashMap<>();
    private final Map<String, RequestorNode> requestorNodes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "golem-sandbox-vpn-tcp");
        t.setDaemon(true);
        return t;
    });
    private final Queue<VmLink> pending = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    public FrameRouter(Networks networks) throws IOException {
        this.networks = networks;
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "golem-sandbox-vpn-router");
        thread.setDaemon(true);
        thread.start();
        networks.onRemoval(network -> {
            links.remove(network.id());
            RequestorNode node = requestorNodes.remove(network.id());
            if (node != null) {
                node.close();
            }
        });
    }

    @Override
    public Membership join(ExeCommand.Deploy.Network requested, String providerId, Map<String, String> hosts) {
        VpnNetwork network = networks.find(requested.id());
        if (network == null) {
            throw new IllegalArgumentException("network " + requested.id() + " not found: create it with POST /net-api/v1/net");
        }
        Ipv4 ip;
        try {
            ip = Ipv4.parse(requested.nodeIp());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("nodeIp: " + e.getMessage());
        }
        Optional<String> owner = network.nodeAt(ip);
        if (owner.isEmpty() || !owner.get().equals(providerId)) {
            throw new IllegalArgumentException("address " + ip + " is not this provider's (" + providerId + ") in network "
                    + network.id() + ": add the node with POST /net-api/v1/net/" + network.id() + "/nodes first");
        }
        VmLink link;
        try {
            link = new VmLink(this, network, providerId, ip, hosts);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open the VM's link to the network: " + e.getMessage());
        }
        if (links.computeIfAbsent(network.id(), id -> new ConcurrentHashMap<>()).putIfAbsent(ip, link) != null) {
            link.close();
            throw new IllegalArgumentException("address " + ip + " in network " + network.id() + " is already used by a running VM");
        }
        pending.add(link);
        selector.wakeup();
        return link;
    }

    /** The requestor's node in {@code network}, made on first use. */
    RequestorNode requestorNode(VpnNetwork network) {
        return requestorNodes.computeIfAbsent(network.id(), id -> new RequestorNode(this, network, timer));
    }

    /** The timer of the requestor's TCP connections (retransmission, unclaimed proxy connections). */
    ScheduledExecutorService timer() {
        return timer;
    }

    /** Sends a frame from the requestor's node into network {@code networkId}, routed as any other. */
    void sendFromLocal(String networkId, ByteBuffer frame) {
        VpnNetwork network = networks.find(networkId);
        if (network != null) {
            route(network, null, frame);
        }
    }

    void remove(VmLink link) {
        Map<Ipv4, VmLink> ofNetwork = links.get(link.networkId());
        if (ofNetwork != null) {
            ofNetwork.remove(link.ip(), link);
        }
    }

    private void loop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_FRAME);
        try {
            while (!closed) {
                selector.select();
                for (VmLink link; (link = pending.poll()) != null; ) {
                    if (link.channel().isOpen()) {
                        link.channel().register(selector, SelectionKey.OP_READ, link);
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    VmLink link = (VmLink) key.attachment();
                    drain(link, buffer);
                }
                selector.selectedKeys().clear();
            }
        } catch (ClosedSelectorException e) {
            // closed: the loop ends
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.error("the VPN router stopped: {}", e.toString(), e);
            }
        }
    }

    private void drain(VmLink link, ByteBuffer buffer) {
        for (int i = 0; i < 64; i++) {
            buffer.clear();
            int n;
            try {
                n = link.channel().read(buffer);
            } catch (IOException e) {
                // Port unreachable before QEMU bound its socket, or the link closing: skip.
                return;
            }
            if (n <= 0) {
                return;
            }
            buffer.flip();
            fromVm(link, buffer);
        }
    }

    private void fromVm(VmLink link, ByteBuffer frame) {
        VpnNetwork network = networks.find(link.networkId());
        if (network == null || !network.nodeAt(link.ip()).map(link.nodeId()::equals).orElse(false)) {
            return; // the network is gone, or this node was removed from it
        }
        if (!EthernetFrame.fromMac(frame, link.mac()) || !link.ip().equals(EthernetFrame.source(frame))) {
            return; // a VM speaks only for itself
        }
        route(network, link, frame);
    }

    /** Delivers {@code frame} from {@code from} (null: the requestor) to its target(s) in {@code network}. */
    private void route(VpnNetwork network, VmLink from, ByteBuffer frame) {
        Ipv4 target = EthernetFrame.target(frame);
        if (target == null) {
            return;
        }
        Map<Ipv4, VmLink> ofNetwork = links.getOrDefault(network.id(), Map.of());
        boolean broadcast = EthernetFrame.toGroup(frame) || target.value() == -1 || isBroadcastOf(network.range(), target);
        if (broadcast) {
            for (VmLink link : List.copyOf(ofNetwork.values())) {
                if (link != from && isCurrentNode(network, link)) {
                    link.send(frame);
                }
            }
            if (from != null) {
                deliverLocal(network, frame);
            }
            return;
        }
        if (from != null && network.requestorAddresses().contains(target)) {
            deliverLocal(network, frame);
            return;
        }
        VmLink to = ofNetwork.get(target);
        if (to != null && to != from && isCurrentNode(network, to)) {
            to.send(frame);
        }
    }

    private void deliverLocal(VpnNetwork network, ByteBuffer frame) {
        try {
            requestorNode(network).receive(frame.duplicate());
        } catch (RuntimeException e) {
            LOG.warn("the requestor's node in network {} failed on a frame: {}", network.id(), e.toString());
        }
    }

    private static boolean isCurrentNode(VpnNetwork network, VmLink link) {
        return network.nodeAt(link.ip()).map(link.nodeId()::equals).orElse(false);
    }

    private static boolean isBroadcastOf(Ipv4Range range, Ipv4 ip) {
        return range.prefix() < 31 && ip.value() == (range.network().value() | ~range.mask().value());
    }

    @Override
    public void close() {
        closed = true;
        requestorNodes.values().forEach(RequestorNode::close);
        timer.shutdownNow();
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        links.values().forEach(ofNetwork -> List.copyOf(ofNetwork.values()).forEach(VmLink::close));
    }
}
