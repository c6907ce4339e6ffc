package dev.golemsandbox.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The requestor's node in one VPN, as yagna runs it at the network's first host: it answers ARP
 * for the requestor's addresses (MAC {@code A0:13:<ip>}) and ICMP echo, resets TCP connections
 * a VM opens to it (nothing listens there), and opens the TCP connections of the TCP proxy, so a
 * VM sees them come from the requestor's address.
 */
final class RequestorNode implements TcpConnection.Wire {

    /** yagna's MACs for the requestor's addresses: A0:13 and the address. */
    static final int MAC_PREFIX = 0xa013;
    /** The segment size that fits the VPN's MTU of 1220. */
    static final int MSS = 1220 - PacketBuilder.IP_HEADER - PacketBuilder.TCP_HEADER;
    private static final int FIRST_PORT = 49152;

    private final FrameRouter router;
    private final VpnNetwork network;
    private final ScheduledExecutorService timer;
    private final Map<Integer, TcpConnection> connections = new ConcurrentHashMap<>();
    private int nextPort = FIRST_PORT;

    RequestorNode(FrameRouter router, VpnNetwork network, ScheduledExecutorService timer) {
        this.router = router;
        this.network = network;
        this.timer = timer;
    }

    /** The address connections come from: the first of the requestor's addresses. */
    Ipv4 address() {
        return network.requestorAddresses().get(0);
    }

    /** Opens a connection to {@code ip:port}; completes once it is established, fails if refused. */
    CompletableFuture<TcpConnection> connect(Ipv4 ip, int port) {
        TcpConnection connection;
        synchronized (this) {
            int tries = 0;
            while (connections.containsKey(nextPort) && tries++ < 16384) {
                nextPort = nextPort == 65535 ? FIRST_PORT : nextPort + 1;
            }
            if (connections.containsKey(nextPort)) {
                return CompletableFuture.failedFuture(new IOException("no local port left"));
            }
            connection = new TcpConnection(this, address(), nextPort, ip, port, timer, MSS);
            connections.put(nextPort, connection);
            nextPort = nextPort == 65535 ? FIRST_PORT : nextPort + 1;
        }
        return connection.open().thenApply(ignored -> connection);
    }

    /** The connections open now. */
    Collection<TcpConnection> connections() {
        return connections.values();
    }

    @Override
    public void forget(TcpConnection connection) {
        connections.remove(connection.localPort(), connection);
    }

    /** Sends a TCP segment (complete, with its checksum) to {@code ip}. */
    @Override
    public void send(Ipv4 ip, ByteBuffer tcp) {
        Ipv4 local = address();
        router.sendFromLocal(network.id(), PacketBuilder.ipv4(EthernetFrame.mac(MAC_PREFIX, local),
                EthernetFrame.mac(VmLink.GUEST_MAC_PREFIX, ip), local, ip, PacketBuilder.PROTO_TCP, tcp));
    }

    /** One frame for one of the requestor's addresses, or a broadcast; only valid during the call. */
    void receive(ByteBuffer frame) {
        int type = EthernetFrame.etherType(frame);
        if (type == EthernetFrame.ARP) {
            arp(frame);
        } else if (type == EthernetFrame.IPV4) {
            ipv4(frame);
        }
    }

    private void arp(ByteBuffer frame) {
        if (!EthernetFrame.isIpv4Arp(frame) || frame.getShort(frame.position() + EthernetFrame.HEADER + 6) != 1) {
            return; // only requests are answered
        }
        Ipv4 target = EthernetFrame.target(frame);
        if (!network.requestorAddresses().contains(target)) {
            return;
        }
        byte[] senderMac = new byte[6];
        frame.get(frame.position() + EthernetFrame.HEADER + 8, senderMac);
        Ipv4 sender = EthernetFrame.source(frame);
        router.sendFromLocal(network.id(), PacketBuilder.arpReply(EthernetFrame.mac(MAC_PREFIX, target), target, senderMac, sender));
    }

    private void ipv4(ByteBuffer frame) {
        int ip = frame.position() + EthernetFrame.HEADER;
        int available = frame.limit() - ip;
        if (available < PacketBuilder.IP_HEADER) {
            return;
        }
        int headerLength = (frame.get(ip) & 0x0f) * 4;
        int total = frame.getShort(ip + 2) & 0xffff;
        boolean fragment = (frame.getShort(ip + 6) & 0x3fff) != 0;
        if ((frame.get(ip) >>> 4) != 4 || headerLength < PacketBuilder.IP_HEADER || total < headerLength || total > available
                || fragment || PacketBuilder.checksum(frame, ip, headerLength, 0) != 0xffff) {
            return;
        }
        Ipv4 source = new Ipv4(frame.getInt(ip + 12));
        Ipv4 destination = new Ipv4(frame.getInt(ip + 16));
        if (!network.requestorAddresses().contains(destination)) {
            return;
        }
        int protocol = frame.get(ip + 9) & 0xff;
        int payload = ip + headerLength;
        int length = total - headerLength;
        if (protocol == PacketBuilder.PROTO_ICMP) {
            echo(frame, payload, length, source, destination);
        } else if (protocol == PacketBuilder.PROTO_TCP && length >= PacketBuilder.TCP_HEADER
                && PacketBuilder.checksum(frame, payload, length,
                PacketBuilder.pseudoHeader(source, destination, PacketBuilder.PROTO_TCP, length)) == 0xffff) {
            tcp(frame, payload, length, source);
        }
    }

    private void echo(ByteBuffer frame, int icmp, int length, Ipv4 source, Ipv4 destination) {
        if (length < 8 || frame.get(icmp) != 8 || PacketBuilder.checksum(frame, icmp, length, 0) != 0xffff) {
            return;
        }
        ByteBuffer reply = ByteBuffer.allocate(length);
        for (int i = 0; i < length; i++) {
            reply.put(frame.get(icmp + i));
        }
        reply.put(0, (byte) 0).putShort(2, (short) 0);
        reply.putShort(2, (short) ~PacketBuilder.checksum(reply, 0, length, 0));
        reply.rewind();
        router.sendFromLocal(network.id(), PacketBuilder.ipv4(EthernetFrame.mac(MAC_PREFIX, destination),
                EthernetFrame.mac(VmLink.GUEST_MAC_PREFIX, source), destination, source, PacketBuilder.PROTO_ICMP, reply));
    }

    private void tcp(ByteBuffer frame, int tcp, int length, Ipv4 source) {
        int sourcePort = frame.getShort(tcp) & 0xffff;
        int destinationPort = frame.getShort(tcp + 2) & 0xffff;
        TcpConnection connection = connections.get(destinationPort);
        ByteBuffer segment = frame.duplicate().position(tcp);
        if (connection != null && connection.remoteIp().equals(source) && connection.remotePort() == sourcePort) {
            connection.segment(segment, length);
            return;
        }
        int flags = frame.get(tcp + 13) & 0x3f;
        if ((flags & PacketBuilder.RST) != 0) {
            return;
        }
        // Nothing listens here: refuse, as a host does (RFC 793's reset for a closed port).
        long seq = frame.getInt(tcp + 4) & 0xffffffffL;
        long ack = frame.getInt(tcp + 8) & 0xffffffffL;
        int dataLength = length - ((frame.get(tcp + 12) & 0xf0) >>> 4) * 4;
        ByteBuffer reset = (flags & PacketBuilder.ACK) != 0
                ? PacketBuilder.tcp(address(), destinationPort, source, sourcePort, ack, 0, PacketBuilder.RST, 0, 0, new byte[0], 0, 0)
                : PacketBuilder.tcp(address(), destinationPort, source, sourcePort, 0,
                (seq + Math.max(0, dataLength) + ((flags & PacketBuilder.SYN) != 0 ? 1 : 0) + ((flags & PacketBuilder.FIN) != 0 ? 1 : 0)) & 0xffffffffL,
                PacketBuilder.RST | PacketBuilder.ACK, 0, 0, new byte[0], 0, 0);
        send(source, reset);
    }

    /** Resets every connection (the network is going away). */
    void close() {
        connections.values().forEach(connection -> connection.reset("the network was removed"));
    }
}
