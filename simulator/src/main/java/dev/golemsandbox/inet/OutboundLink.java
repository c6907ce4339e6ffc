package dev.golemsandbox.inet;

import dev.golemsandbox.activity.OutboundAccess;
import dev.golemsandbox.exeunit.InetInterface;
import dev.golemsandbox.net.QemuDatagramPort;
import dev.golemsandbox.net.EthernetFrame;
import dev.golemsandbox.net.Ipv4;
import dev.golemsandbox.net.PacketBuilder;
import dev.golemsandbox.vm.InetDevice;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VM's eth1 as the gateway sees it: the UDP socket on loopback its QEMU exchanges frames with,
 * and the gateway's side of everything the guest does there. It answers ARP for the gateway,
 * DNS at the gateway (and at the public resolvers the exe-unit lets DNS through to), accepts the
 * guest's TCP connections and relays its UDP datagrams to what the {@link OutboundFilter}
 * allows. A denied TCP connection is accepted and reset at once; anything else denied (UDP, ICMP,
 * other protocols) is dropped without a word, as on a provider. Every frame is the guest's and
 * hostile: sizes, checksums and addresses are checked before anything is kept, and connections and
 * flows are bounded.
 */
final class OutboundLink implements OutboundAccess.Link, ChannelHandler {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundLink.class);

    static final Ipv4 GUEST = Ipv4.parse(InetInterface.GUEST_ADDRESS);
    static final byte[] GUEST_MAC = HexFormat.ofDelimiter(":").parseHex(InetDevice.MAC);
    /** The gateway's MAC: A0:14 and its address, as the VPN's requestor node has A0:13 and its own. */
    static final byte[] GATEWAY_MAC = {(byte) 0xa0, 0x14, 10, 42, 42, 1};
    /** Segments up to 16 KiB: far fewer frames than at Ethernet's 1460 (each costs a guest exit under TCG), yet four fit the window. */
    static final int MSS = 16384;
    /** TCP connections at once, half-open ones included. */
    static final int MAX_TCP = 256;
    /** Public resolvers the exe-unit lets DNS through to; here the gateway answers for them. */
    private static final Set<Ipv4> PUBLIC_RESOLVERS = Set.of(Ipv4.parse("1.1.1.1"), Ipv4.parse("1.0.0.1"),
            Ipv4.parse("8.8.8.8"), Ipv4.parse("8.8.4.4"), Ipv4.parse("9.9.9.9"), Ipv4.parse("149.112.112.112"));
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Host lookups in flight for one VM's DNS queries. */
    static final int MAX_LOOKUPS = 8;

    record TcpKey(int guestPort, Ipv4 destination, int destinationPort) {
    }

    private final OutboundGateway gateway;
    private final String owner;
    private final OutboundFilter filter;
    private final DnsResponder dns;
    private final DatagramChannel channel;
    private final InetInterface inetInterface;
    private final Map<TcpKey, GuestTcpBridge> tcp = new ConcurrentHashMap<>();
    private final UdpSessions udp = new UdpSessions(this);
    private final AtomicInteger lookups = new AtomicInteger();
    private volatile boolean closed;

    OutboundLink(OutboundGateway gateway, OutboundFilter filter, String owner) throws IOException {
        this.gateway = gateway;
        this.owner = owner;
        this.filter = filter;
        this.dns = new DnsResponder(filter::guestAddressesOf);
        QemuDatagramPort port = QemuDatagramPort.open();
        this.channel = port.channel();
        this.inetInterface = new InetInterface(port.qemuPort(), port.localPort());
    }

    OutboundGateway gateway() {
        return gateway;
    }

    DatagramChannel channel() {
        return channel;
    }

    @Override
    public InetInterface inetInterface() {
        return inetInterface;
    }

    /** TCP connections open now (for tests). */
    int tcpConnections() {
        return tcp.size();
    }

    /** UDP flows open now (for tests). */
    int udpFlows() {
        return udp.size();
    }

    @Override
    public void ready(SelectionKey key) {
        ByteBuffer buffer = gateway.frameBuffer();
        for (int i = 0; i < 64 && !closed; i++) {
            buffer.clear();
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException e) {
                return; // port unreachable before QEMU bound its socket: skip
            }
            if (n <= 0) {
                return;
            }
            buffer.flip();
            try {
                fromGuest(buffer);
            } catch (IOException | RuntimeException e) {
                LOG.debug("outbound link of {}: a frame failed: {}", owner, e.toString());
            }
        }
    }

    @Override
    public void failed(Exception cause) {
        close();
    }

    /** One frame from the guest; only valid during the call. */
    void fromGuest(ByteBuffer frame) throws IOException {
        if (!EthernetFrame.fromMac(frame, GUEST_MAC)) {
            return; // the guest speaks only for its own card
        }
        int type = EthernetFrame.etherType(frame);
        if (type == EthernetFrame.ARP) {
            arp(frame);
        } else if (type == EthernetFrame.IPV4) {
            ipv4(frame);
        }
    }

    private void arp(ByteBuffer frame) {
        if (!EthernetFrame.isIpv4Arp(frame) || frame.getShort(frame.position() + EthernetFrame.HEADER + 6) != 1
                || !OutboundFilter.GATEWAY.equals(EthernetFrame.target(frame)) || !GUEST.equals(EthernetFrame.source(frame))) {
            return; // only the guest's requests for the gateway are answered
        }
        send(PacketBuilder.arpReply(GATEWAY_MAC, OutboundFilter.GATEWAY, GUEST_MAC, GUEST));
    }

    private void ipv4(ByteBuffer frame) throws IOException {
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
        if (!source.equals(GUEST)) {
            return;
        }
        int protocol = frame.get(ip + 9) & 0xff;
        int payload = ip + headerLength;
        int length = total - headerLength;
        if (protocol == PacketBuilder.PROTO_TCP && length >= PacketBuilder.TCP_HEADER
                && PacketBuilder.checksum(frame, payload, length, PacketBuilder.pseudoHeader(source, destination, protocol, length)) == 0xffff) {
            tcp(frame.duplicate().position(payload), length, destination);
        } else if (protocol == PacketBuilder.PROTO_UDP && length >= PacketBuilder.UDP_HEADER) {
            int udpLength = frame.getShort(payload + 4) & 0xffff;
            int sum = frame.getShort(payload + 6) & 0xffff;
            if (udpLength < PacketBuilder.UDP_HEADER || udpLength > length || (sum != 0
                    && PacketBuilder.checksum(frame, payload, udpLength, PacketBuilder.pseudoHeader(source, destination, protocol, udpLength)) != 0xffff)) {
                return;
            }
            udp(frame.duplicate().position(payload), udpLength, destination);
        }
        // ICMP and every other protocol: no answer at all, as from a provider.
    }

    private void tcp(ByteBuffer segment, int length, Ipv4 destination) throws IOException {
        int p = segment.position();
        int guestPort = segment.getShort(p) & 0xffff;
        int destinationPort = segment.getShort(p + 2) & 0xffff;
        int flags = segment.get(p + 13) & 0x3f;
        int dataOffset = ((segment.get(p + 12) & 0xf0) >>> 4) * 4;
        if (dataOffset < PacketBuilder.TCP_HEADER || dataOffset > length) {
            return;
        }
        TcpKey key = new TcpKey(guestPort, destination, destinationPort);
        GuestTcpBridge bridge = tcp.get(key);
        if (bridge != null) {
            bridge.segment(segment, length);
            return;
        }
        if ((flags & PacketBuilder.RST) != 0) {
            return;
        }
        long seq = segment.getInt(p + 4) & 0xffffffffL;
        boolean syn = (flags & (PacketBuilder.SYN | PacketBuilder.ACK)) == PacketBuilder.SYN;
        if (!syn) {
            // No such connection: refuse, as a host does (RFC 793's reset for a closed port).
            long ack = segment.getInt(p + 8) & 0xffffffffL;
            reset(key, (flags & PacketBuilder.ACK) != 0 ? ack : 0,
                    (seq + length - dataOffset + ((flags & PacketBuilder.FIN) != 0 ? 1 : 0)) & 0xffffffffL,
                    (flags & PacketBuilder.ACK) == 0);
            return;
        }
        Optional<OutboundFilter.Target> target = filter.tcp(destination, destinationPort);
        if (target.isEmpty() || closed) {
            LOG.debug("outbound link of {}: TCP to {}:{} is not granted: accepted and reset", owner, destination, destinationPort);
            acceptAndReset(key, seq);
            return;
        }
        if (tcp.size() >= MAX_TCP) {
            LOG.debug("outbound link of {}: {} TCP connections open: refusing another", owner, MAX_TCP);
            reset(key, 0, (seq + 1) & 0xffffffffL, true);
            return;
        }
        try {
            tcp.put(key, GuestTcpBridge.open(this, key, target.get(), segment, length));
        } catch (IOException e) {
            LOG.debug("outbound link of {}: cannot connect to {}: {}", owner, target.get(), e.toString());
            acceptAndReset(key, seq);
        }
    }

    /** What a provider does with a connection its filter denies: the handshake completes, then a reset ends it at once. */
    private void acceptAndReset(TcpKey key, long guestSeq) {
        long iss = RANDOM.nextInt() & 0xffffffffL;
        long ack = (guestSeq + 1) & 0xffffffffL;
        sendToGuest(key.destination(), PacketBuilder.PROTO_TCP, PacketBuilder.tcp(key.destination(), key.destinationPort(), GUEST,
                key.guestPort(), iss, ack, PacketBuilder.SYN | PacketBuilder.ACK, 0, MSS, new byte[0], 0, 0));
        sendToGuest(key.destination(), PacketBuilder.PROTO_TCP, PacketBuilder.tcp(key.destination(), key.destinationPort(), GUEST,
                key.guestPort(), (iss + 1) & 0xffffffffL, ack, PacketBuilder.RST | PacketBuilder.ACK, 0, 0, new byte[0], 0, 0));
    }

    private void reset(TcpKey key, long seq, long ack, boolean withAck) {
        sendToGuest(key.destination(), PacketBuilder.PROTO_TCP, PacketBuilder.tcp(key.destination(), key.destinationPort(), GUEST,
                key.guestPort(), seq, withAck ? ack : 0, PacketBuilder.RST | (withAck ? PacketBuilder.ACK : 0), 0, 0, new byte[0], 0, 0));
    }

    private void udp(ByteBuffer datagram, int length, Ipv4 destination) throws IOException {
        int p = datagram.position();
        int guestPort = datagram.getShort(p) & 0xffff;
        int destinationPort = datagram.getShort(p + 2) & 0xffff;
        ByteBuffer payload = datagram.duplicate().position(p + PacketBuilder.UDP_HEADER).limit(p + length);
        if (destinationPort == DnsResponder.PORT && (destination.equals(OutboundFilter.GATEWAY) || PUBLIC_RESOLVERS.contains(destination))) {
            if (filter.unrestricted()) {
                resolveLater(payload, destination, guestPort);
            } else {
                dns.answer(payload, payload.remaining()).ifPresent(answer -> answerDns(destination, guestPort, answer));
            }
            return;
        }
        Optional<OutboundFilter.Target> target = filter.udp(destination, destinationPort);
        if (target.isPresent() && !closed) {
            udp.send(new UdpSessions.Key(guestPort, destination, destinationPort), target.get(), payload);
        }
    }

    private void answerDns(Ipv4 server, int guestPort, byte[] answer) {
        sendToGuest(server, PacketBuilder.PROTO_UDP, PacketBuilder.udp(server, DnsResponder.PORT, GUEST, guestPort, answer, 0, answer.length));
    }

    /**
     * For an unrestricted grant, any name is resolved on the host, as the provider's resolver
     * would: off the selector thread (a lookup may take seconds), at most {@value #MAX_LOOKUPS} at a
     * time per VM (a flood of queries gets no answers), with only reachable addresses in the answer.
     */
    private void resolveLater(ByteBuffer payload, Ipv4 server, int guestPort) {
        if (lookups.incrementAndGet() > MAX_LOOKUPS) {
            lookups.decrementAndGet();
            return;
        }
        byte[] query = new byte[payload.remaining()];
        payload.duplicate().get(query);
        DnsResponder anyName = new DnsResponder(name -> filter.guestAddressesOf(name).or(() -> resolveOnHost(name)));
        try {
            gateway.lookups().execute(() -> {
                try {
                    anyName.answer(ByteBuffer.wrap(query), query.length).ifPresent(answer -> answerDns(server, guestPort, answer));
                } finally {
                    lookups.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            lookups.decrementAndGet();
        }
    }

    private Optional<List<Ipv4>> resolveOnHost(String name) {
        try {
            return Optional.of(filter.reachable(gateway.resolver().resolve(name)));
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Sends an IPv4 packet to the guest from {@code source} (the address the guest spoke to). */
    void sendToGuest(Ipv4 source, int protocol, ByteBuffer payload) {
        send(PacketBuilder.ipv4(GATEWAY_MAC, GUEST_MAC, source, GUEST, protocol, payload));
    }

    /** Hands one frame to the VM; a full socket buffer drops it, as a busy link would (TCP retransmits). */
    private void send(ByteBuffer frame) {
        try {
            channel.write(frame);
        } catch (IOException e) {
            // QEMU not listening (yet, or any more): the frame is lost, as on a real link.
        }
    }

    void forget(TcpKey key, GuestTcpBridge bridge) {
        tcp.remove(key, bridge);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        gateway.remove(this);
        List.copyOf(tcp.values()).forEach(GuestTcpBridge::reset);
        udp.closeAll();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
