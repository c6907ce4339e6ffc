package dev.golemsandbox.inet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.activity.OutboundGrant;
import dev.golemsandbox.net.EthernetFrame;
import dev.golemsandbox.net.Ipv4;
import dev.golemsandbox.net.PacketBuilder;
import dev.golemsandbox.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.DatagramChannel;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile guest's frames against the gateway: connections to local ports the grant does not
 * name (directly at 127.0.0.1, through the gateway, at a local service standing for the sandbox's
 * API) are accepted and reset and never reach the host; a flood of SYNs holds at most
 * {@link OutboundLink#MAX_TCP} connections; UDP floods at most {@link UdpSessions#MAX_SESSIONS}
 * flows; malformed frames are dropped and the link still works afterwards.
 */
class OutboundAttackTest {

    private static final Ipv4 GATEWAY = Ipv4.parse("10.42.42.1");
    private static final Ipv4 LOOPBACK = Ipv4.parse("127.0.0.1");

    OutboundGateway gateway;
    ServerSocket granted;
    ServerSocket api;
    DatagramChannel grantedUdp;
    final AtomicInteger apiAccepts = new AtomicInteger();
    FakeGuest guest;
    OutboundLink link;

    @BeforeEach
    void start() throws Exception {
        granted = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        api = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!api.isClosed()) {
                try {
                    api.accept().close();
                    apiAccepts.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        grantedUdp = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), granted.getLocalPort()));
        gateway = new OutboundGateway();
        guest = new FakeGuest(gateway.open(new OutboundGrant(false, List.of(
                URI.create("http://127.0.0.1:" + granted.getLocalPort() + "/"),
                URI.create("udp://127.0.0.1:" + granted.getLocalPort()))), "hostile"));
        link = gateway.links().iterator().next();
    }

    @AfterEach
    void stop() throws Exception {
        guest.close();
        gateway.close();
        granted.close();
        grantedUdp.close();
        api.close();
    }

    /** The guest's SYN to {@code to:port}, and the two answers: a SYN-ACK, then a reset. */
    private void assertAcceptedAndReset(Ipv4 to, int port, int guestPort) throws IOException {
        guest.tcp(to, guestPort, port, 5000, 0, PacketBuilder.SYN, 1460, new byte[0]);
        ByteBuffer synAck = guest.nextSegment();
        assertThat(synAck).as("an answer to the SYN for %s:%d", to, port).isNotNull();
        assertThat(FakeGuest.flags(synAck)).isEqualTo(PacketBuilder.SYN | PacketBuilder.ACK);
        assertThat(EthernetFrame.source(synAck)).as("from the address the guest spoke to").isEqualTo(to);
        ByteBuffer reset = guest.nextSegment();
        assertThat(reset).isNotNull();
        assertThat(FakeGuest.flags(reset) & PacketBuilder.RST).isNotZero();
        assertThat(FakeGuest.seq(reset)).as("in the window the SYN-ACK opened").isEqualTo(FakeGuest.seq(synAck) + 1);
    }

    @Test
    void localPortsTheGrantDoesNotNameAreAcceptedResetAndNeverReached() throws Exception {
        assertAcceptedAndReset(GATEWAY, api.getLocalPort(), 41000);
        assertAcceptedAndReset(LOOPBACK, api.getLocalPort(), 41001);
        assertAcceptedAndReset(Ipv4.parse("127.0.0.2"), granted.getLocalPort(), 41002);
        assertAcceptedAndReset(GATEWAY, 22, 41003);
        assertAcceptedAndReset(Ipv4.parse("192.0.2.1"), 80, 41004);
        assertThat(apiAccepts.get()).as("the host never connected to the API port").isZero();
        assertThat(link.tcpConnections()).isZero();
    }

    @Test
    void aFloodOfSynsHoldsABoundedTableAndTheLinkStillAnswers() throws Exception {
        for (int i = 0; i < 3 * OutboundLink.MAX_TCP; i++) {
            guest.tcp(GATEWAY, 10000 + i, granted.getLocalPort(), i * 1000L, 0, PacketBuilder.SYN, 1460, new byte[0]);
        }
        Await.until("the gateway took the flood", () -> link.tcpConnections() >= OutboundLink.MAX_TCP / 2);
        Thread.sleep(500);
        assertThat(link.tcpConnections()).isLessThanOrEqualTo(OutboundLink.MAX_TCP);
        // Half-open connections are given up after a few SYN-ACKs: the table empties on its own.
        Await.until("the half-open connections are given up", () -> link.tcpConnections() == 0);
        while (guest.receive() != null) {
            // drain the SYN-ACKs
        }
        assertAcceptedAndReset(GATEWAY, api.getLocalPort(), 42000);
    }

    @Test
    void aFloodOfUdpFlowsKeepsAtMostTheirLimit() throws Exception {
        byte[] data = "x".getBytes();
        for (int i = 0; i < UdpSessions.MAX_SESSIONS + 100; i++) {
            ByteBuffer udp = PacketBuilder.udp(OutboundLink.GUEST, 20000 + i, GATEWAY, granted.getLocalPort(), data, 0, data.length);
            guest.send(PacketBuilder.ipv4(OutboundLink.GUEST_MAC, OutboundLink.GATEWAY_MAC, OutboundLink.GUEST, GATEWAY,
                    PacketBuilder.PROTO_UDP, udp));
        }
        Await.until("the gateway took the datagrams", () -> link.udpFlows() == UdpSessions.MAX_SESSIONS);
        Thread.sleep(300);
        assertThat(link.udpFlows()).isEqualTo(UdpSessions.MAX_SESSIONS);
    }

    @Test
    void malformedFramesAreDroppedAndTheLinkStillWorks() throws Exception {
        Random random = new Random(7);
        ByteBuffer good = PacketBuilder.ipv4(OutboundLink.GUEST_MAC, OutboundLink.GATEWAY_MAC, OutboundLink.GUEST, GATEWAY,
                PacketBuilder.PROTO_TCP, PacketBuilder.tcp(OutboundLink.GUEST, 43000, GATEWAY, 22, 1, 0, PacketBuilder.SYN, 65535,
                        1460, new byte[0], 0, 0));
        byte[] template = new byte[good.remaining()];
        good.get(template);
        for (int i = 0; i < 5000; i++) {
            byte[] frame;
            if (i % 2 == 0) {
                frame = new byte[random.nextInt(200)];
                random.nextBytes(frame);
                if (frame.length >= 12) {
                    System.arraycopy(OutboundLink.GUEST_MAC, 0, frame, 6, 6); // past the source check
                }
            } else {
                frame = java.util.Arrays.copyOf(template, random.nextInt(template.length + 1));
                if (frame.length > 0) {
                    frame[random.nextInt(frame.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            guest.send(ByteBuffer.wrap(frame));
        }
        // A frame from another MAC, a spoofed source address and a non-first fragment: no answer.
        guest.send(PacketBuilder.ipv4(new byte[]{2, 0, 0, 0, 0, 1}, OutboundLink.GATEWAY_MAC, OutboundLink.GUEST, GATEWAY,
                PacketBuilder.PROTO_TCP, PacketBuilder.tcp(OutboundLink.GUEST, 43001, GATEWAY, 22, 1, 0, PacketBuilder.SYN, 65535, 0,
                        new byte[0], 0, 0)));
        guest.send(PacketBuilder.ipv4(OutboundLink.GUEST_MAC, OutboundLink.GATEWAY_MAC, Ipv4.parse("10.42.42.9"), GATEWAY,
                PacketBuilder.PROTO_TCP, PacketBuilder.tcp(Ipv4.parse("10.42.42.9"), 43002, GATEWAY, 22, 1, 0, PacketBuilder.SYN,
                        65535, 0, new byte[0], 0, 0)));
        while (guest.receive() != null) {
            // answers to the mutated SYNs that still parse are fine; drain them
        }
        assertThat(link.tcpConnections()).isZero();
        assertAcceptedAndReset(GATEWAY, api.getLocalPort(), 44000);
        assertThat(apiAccepts.get()).isZero();
    }
}
