package dev.golemsandbox.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.activity.VpnJoiner;
import dev.golemsandbox.activity.exescript.ExeCommand;
import dev.golemsandbox.identity.NodeId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The frame router and the requestor's node against guests that lie: each "VM" here is a UDP
 * socket at the port its QEMU would have, sending hand-made frames. A VM cannot speak for another
 * address or MAC, a removed node's frames go nowhere, a stranger's datagrams never enter, and the
 * requestor's node answers ARP, ping and a SYN to a closed port as a host does.
 */
class HostileFramesTest {

    private static final String A = NodeId.derive("a");
    private static final String B = NodeId.derive("b");
    private static final Ipv4 IP_A = Ipv4.parse("10.1.0.2");
    private static final Ipv4 IP_B = Ipv4.parse("10.1.0.3");
    private static final Ipv4 REQUESTOR = Ipv4.parse("10.1.0.1");

    Networks networks;
    FrameRouter router;
    VpnNetwork network;
    FakeVm vmA;
    FakeVm vmB;

    /** What QEMU would be: a socket on the port the link expects, talking to the router's port. */
    static final class FakeVm implements AutoCloseable {
        final VpnJoiner.Membership membership;
        final DatagramChannel socket;
        final byte[] mac;
        final Ipv4 ip;

        FakeVm(FrameRouter router, VpnNetwork network, String nodeId, Ipv4 ip) throws IOException {
            this.membership = router.join(new ExeCommand.Deploy.Network(network.id(), "10.1.0.0", "255.255.255.0", null,
                    ip.toString(), Map.of()), nodeId, Map.of());
            this.ip = ip;
            this.mac = EthernetFrame.mac(VmLink.GUEST_MAC_PREFIX, ip);
            socket = DatagramChannel.open();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), membership.vpnInterface().localPort()));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), membership.vpnInterface().routerPort()));
            socket.socket().setSoTimeout(1500);
        }

        void send(ByteBuffer frame) throws IOException {
            socket.write(frame);
        }

        /** The next frame that arrives within 1.5 s, or null. */
        ByteBuffer receive() throws IOException {
            java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[65536], 65536);
            try {
                socket.socket().receive(packet);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return ByteBuffer.wrap(packet.getData(), 0, packet.getLength()).slice();
        }

        @Override
        public void close() throws IOException {
            membership.close();
            socket.close();
        }
    }

    @BeforeEach
    void start() throws IOException {
        networks = new Networks();
        router = new FrameRouter(networks);
        network = networks.create(null, Ipv4Range.parse("10.1.0.0/24", null), null);
        networks.addNode(network.id(), A, IP_A);
        networks.addNode(network.id(), B, IP_B);
        vmA = new FakeVm(router, network, A, IP_A);
        vmB = new FakeVm(router, network, B, IP_B);
    }

    @AfterEach
    void stop() throws IOException {
        vmA.close();
        vmB.close();
        router.close();
    }

    private static ByteBuffer arpRequest(byte[] senderMac, Ipv4 senderIp, Ipv4 target) {
        ByteBuffer f = ByteBuffer.allocate(EthernetFrame.HEADER + 28);
        f.put(new byte[]{-1, -1, -1, -1, -1, -1}).put(senderMac).putShort((short) EthernetFrame.ARP);
        f.putShort((short) 1).putShort((short) EthernetFrame.IPV4).put((byte) 6).put((byte) 4).putShort((short) 1);
        f.put(senderMac).putInt(senderIp.value()).put(new byte[6]).putInt(target.value());
        return f.flip();
    }

    private static ByteBuffer ping(byte[] srcMac, byte[] dstMac, Ipv4 src, Ipv4 dst) {
        ByteBuffer icmp = ByteBuffer.allocate(16);
        icmp.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) 7).putShort((short) 1).putLong(0x1122334455667788L);
        icmp.putShort(2, (short) ~PacketBuilder.checksum(icmp, 0, 16, 0));
        icmp.rewind();
        return PacketBuilder.ipv4(srcMac, dstMac, src, dst, PacketBuilder.PROTO_ICMP, icmp);
    }

    @Test
    void aFrameForAnotherVmArrivesAsItWasSent() throws IOException {
        ByteBuffer frame = ping(vmA.mac, vmB.mac, IP_A, IP_B);
        vmA.send(frame.duplicate());
        ByteBuffer got = vmB.receive();
        assertThat(got).isNotNull();
        assertThat(got.remaining()).isEqualTo(frame.remaining());
        assertThat(got).isEqualTo(frame);
    }

    @Test
    void aVmCannotSendAsAnotherAddressOrMac() throws IOException {
        Ipv4 forged = Ipv4.parse("10.1.0.9");
        vmA.send(ping(vmA.mac, vmB.mac, forged, IP_B));
        vmA.send(ping(EthernetFrame.mac(VmLink.GUEST_MAC_PREFIX, forged), vmB.mac, IP_A, IP_B));
        vmA.send(arpRequest(vmA.mac, forged, IP_B));
        assertThat(vmB.receive()).as("nothing forged gets through").isNull();
    }

    @Test
    void aRemovedNodeNeitherSendsNorReceives() throws IOException {
        networks.removeNode(network.id(), B);
        vmA.send(ping(vmA.mac, vmB.mac, IP_A, IP_B));
        assertThat(vmB.receive()).isNull();
        vmB.send(ping(vmB.mac, vmA.mac, IP_B, IP_A));
        assertThat(vmA.receive()).isNull();
        networks.addNode(network.id(), B, IP_B);
        vmA.send(ping(vmA.mac, vmB.mac, IP_A, IP_B));
        assertThat(vmB.receive()).as("added back, reachable again").isNotNull();
    }

    @Test
    void datagramsFromAStrangerNeverEnter() throws IOException {
        try (DatagramChannel stranger = DatagramChannel.open()) {
            stranger.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            stranger.send(ping(vmA.mac, vmB.mac, IP_A, IP_B), new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    vmA.membership.vpnInterface().routerPort()));
        }
        assertThat(vmB.receive()).isNull();
    }

    @Test
    void theRequestorsNodeAnswersArpAndPingAsAHost() throws IOException {
        vmA.send(arpRequest(vmA.mac, IP_A, REQUESTOR));
        assertThat(vmB.receive()).as("an ARP request is a broadcast: the other VM sees it too").isNotNull();
        ByteBuffer reply = vmA.receive();
        assertThat(reply).isNotNull();
        assertThat(EthernetFrame.etherType(reply)).isEqualTo(EthernetFrame.ARP);
        assertThat(reply.getShort(EthernetFrame.HEADER + 6)).as("an ARP reply").isEqualTo((short) 2);
        byte[] mac = new byte[6];
        reply.get(EthernetFrame.HEADER + 8, mac);
        assertThat(mac).isEqualTo(EthernetFrame.mac(RequestorNode.MAC_PREFIX, REQUESTOR));
        assertThat(EthernetFrame.source(reply)).isEqualTo(REQUESTOR);

        vmA.send(ping(vmA.mac, mac, IP_A, REQUESTOR));
        ByteBuffer echo = vmA.receive();
        assertThat(echo).isNotNull();
        assertThat(EthernetFrame.target(echo)).isEqualTo(IP_A);
        assertThat(echo.get(EthernetFrame.HEADER + PacketBuilder.IP_HEADER)).as("echo reply").isEqualTo((byte) 0);
        assertThat(PacketBuilder.checksum(echo, EthernetFrame.HEADER, PacketBuilder.IP_HEADER, 0)).isEqualTo(0xffff);
        assertThat(PacketBuilder.checksum(echo, EthernetFrame.HEADER + PacketBuilder.IP_HEADER, 16, 0)).isEqualTo(0xffff);
        assertThat(vmB.receive()).as("the echo reply is A's only").isNull();
    }

    @Test
    void aSynToTheRequestorIsResetAsNothingListensThere() throws IOException {
        ByteBuffer syn = PacketBuilder.tcp(IP_A, 40000, REQUESTOR, 22, 1000, 0, PacketBuilder.SYN, 65535, 1180, new byte[0], 0, 0);
        vmA.send(PacketBuilder.ipv4(vmA.mac, EthernetFrame.mac(RequestorNode.MAC_PREFIX, REQUESTOR), IP_A, REQUESTOR,
                PacketBuilder.PROTO_TCP, syn));
        ByteBuffer reset = vmA.receive();
        assertThat(reset).isNotNull();
        int tcp = EthernetFrame.HEADER + PacketBuilder.IP_HEADER;
        assertThat(reset.get(tcp + 13) & (PacketBuilder.RST | PacketBuilder.ACK)).isEqualTo(PacketBuilder.RST | PacketBuilder.ACK);
        assertThat(reset.getInt(tcp + 8)).as("acknowledges the SYN").isEqualTo(1001);
    }
}
