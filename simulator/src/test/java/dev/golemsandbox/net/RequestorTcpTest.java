package dev.golemsandbox.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.identity.NodeId;
import dev.golemsandbox.testing.Await;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The requestor node's TCP against a scripted peer on the real router: the handshake with MSS,
 * the peer's window and segment size respected, retransmission of what was not acknowledged, a
 * segment out of order held back until the gap is filled, and FIN both ways.
 */
class RequestorTcpTest {

    private static final Ipv4 PEER = Ipv4.parse("10.3.0.2");
    private static final Ipv4 REQUESTOR = Ipv4.parse("10.3.0.1");
    private static final int TCP = EthernetFrame.HEADER + PacketBuilder.IP_HEADER;

    Networks networks;
    FrameRouter router;
    HostileFramesTest.FakeVm peer;
    RequestorNode node;
    final ByteArrayOutputStream delivered = new ByteArrayOutputStream();
    final CompletableFuture<String> closed = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        networks = new Networks();
        router = new FrameRouter(networks);
        VpnNetwork network = networks.create(null, Ipv4Range.parse("10.3.0.0/24", null), null);
        networks.addNode(network.id(), NodeId.derive("peer"), PEER);
        peer = new HostileFramesTest.FakeVm(router, network, NodeId.derive("peer"), PEER);
        node = router.requestorNode(network);
    }

    @AfterEach
    void stop() throws Exception {
        peer.close();
        router.close();
    }

    private ByteBuffer nextSegment() throws Exception {
        ByteBuffer frame = peer.receive();
        for (int wait = 0; frame == null && wait < 4; wait++) {
            frame = peer.receive(); // a loaded machine may delay the retransmission timer
        }
        assertThat(frame).as("a segment from the requestor").isNotNull();
        assertThat(EthernetFrame.source(frame)).isEqualTo(REQUESTOR);
        return frame;
    }

    private static long seq(ByteBuffer f) {
        return f.getInt(TCP + 4) & 0xffffffffL;
    }

    private static long ack(ByteBuffer f) {
        return f.getInt(TCP + 8) & 0xffffffffL;
    }

    private static int flags(ByteBuffer f) {
        return f.get(TCP + 13) & 0x3f;
    }

    private static int payload(ByteBuffer f) {
        int total = f.getShort(EthernetFrame.HEADER + 2) & 0xffff;
        return total - PacketBuilder.IP_HEADER - ((f.get(TCP + 12) & 0xf0) >>> 4) * 4;
    }

    private void sendFromPeer(int localPort, long seq, long ack, int flags, int window, int mss, byte[] data) throws Exception {
        ByteBuffer tcp = PacketBuilder.tcp(PEER, 8080, REQUESTOR, localPort, seq, ack, flags, window, mss, data, 0, data.length);
        peer.send(PacketBuilder.ipv4(peer.mac, EthernetFrame.mac(RequestorNode.MAC_PREFIX, REQUESTOR), PEER, REQUESTOR,
                PacketBuilder.PROTO_TCP, tcp));
    }

    /** Connects with the peer announcing {@code window} and MSS 1000; returns the connection and the peer's next seq. */
    private TcpConnection connect(int window) throws Exception {
        CompletableFuture<TcpConnection> connecting = node.connect(PEER, 8080);
        ByteBuffer syn = nextSegment();
        assertThat(flags(syn) & PacketBuilder.SYN).isNotZero();
        assertThat(syn.get(TCP + 20)).as("MSS option").isEqualTo((byte) 2);
        assertThat(syn.getShort(TCP + 22)).isEqualTo((short) RequestorNode.MSS);
        int localPort = syn.getShort(TCP) & 0xffff;
        sendFromPeer(localPort, 5000, seq(syn) + 1, PacketBuilder.SYN | PacketBuilder.ACK, window, 1000, new byte[0]);
        TcpConnection connection = connecting.get(10, TimeUnit.SECONDS);
        ByteBuffer handshakeAck = nextSegment();
        assertThat(ack(handshakeAck)).isEqualTo(5001);
        connection.listen(new TcpConnection.Listener() {
            @Override
            public void data(byte[] bytes) {
                synchronized (delivered) {
                    delivered.writeBytes(bytes);
                }
            }

            @Override
            public void closed(String why) {
                closed.complete(why);
            }
        });
        return connection;
    }

    @Test
    void dataRespectsThePeersWindowAndSegmentSizeAndIsSentAgainUntilAcknowledged() throws Exception {
        TcpConnection connection = connect(2000);
        int localPort = connection.localPort();
        byte[] data = new byte[3000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        assertThat(connection.write(data)).isTrue();
        ByteBuffer first = nextSegment();
        ByteBuffer second = nextSegment();
        assertThat(payload(first)).isEqualTo(1000);
        assertThat(payload(second)).isEqualTo(1000);
        assertThat(seq(second)).isEqualTo(seq(first) + 1000);
        long start = seq(first);

        ByteBuffer again = nextSegment();
        assertThat(seq(again)).as("unacknowledged: the first segment comes again").isEqualTo(start);

        sendFromPeer(localPort, 5001, start + 2000, PacketBuilder.ACK, 2000, 0, new byte[0]);
        ByteBuffer rest = nextSegment();
        while (seq(rest) != start + 2000) {
            rest = nextSegment(); // retransmissions still under way
        }
        assertThat(payload(rest)).isEqualTo(1000);
        assertThat(rest.get(TCP + 20 + 999)).isEqualTo(data[2999]);
    }

    @Test
    void aSegmentOutOfOrderWaitsForTheGapAndFinsEndBothSides() throws Exception {
        TcpConnection connection = connect(65535);
        int localPort = connection.localPort();
        long ourNext = ack(nextSegmentAfterWrite(connection));
        sendFromPeer(localPort, 5006, ourNext, PacketBuilder.ACK, 65535, 0, "world".getBytes(StandardCharsets.UTF_8));
        ByteBuffer dupAck = nextSegment();
        assertThat(ack(dupAck)).as("the gap is still open").isEqualTo(5001);
        sendFromPeer(localPort, 5001, ourNext, PacketBuilder.ACK, 65535, 0, "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(ack(nextSegment())).isEqualTo(5006);
        sendFromPeer(localPort, 5006, ourNext, PacketBuilder.ACK, 65535, 0, "world".getBytes(StandardCharsets.UTF_8));
        assertThat(ack(nextSegment())).isEqualTo(5011);
        // the ACK goes out before the bytes reach the listener (outside the connection's lock)
        String got = "";
        for (long deadline = System.nanoTime() + 5_000_000_000L; !got.equals("helloworld") && System.nanoTime() < deadline; ) {
            synchronized (delivered) {
                got = delivered.toString(StandardCharsets.UTF_8);
            }
            Thread.onSpinWait();
        }
        assertThat(got).isEqualTo("helloworld");

        sendFromPeer(localPort, 5011, ourNext, PacketBuilder.FIN | PacketBuilder.ACK, 65535, 0, new byte[0]);
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo("the peer closed the connection");
        ByteBuffer finAck = nextSegment();
        assertThat(ack(finAck)).isEqualTo(5012);
        ByteBuffer ourFin = (flags(finAck) & PacketBuilder.FIN) != 0 ? finAck : nextSegment();
        assertThat(flags(ourFin) & PacketBuilder.FIN).as("our side closes too").isNotZero();
        sendFromPeer(localPort, 5012, seq(ourFin) + 1, PacketBuilder.ACK, 65535, 0, new byte[0]);
        Await.until("the connection is gone once both FINs are acknowledged", () -> node.connections().isEmpty());
    }

    /** Writes one byte and acknowledges it, so the connection has data behind it; returns the segment. */
    private ByteBuffer nextSegmentAfterWrite(TcpConnection connection) throws Exception {
        connection.write(new byte[]{42});
        ByteBuffer segment = nextSegment();
        sendFromPeer(connection.localPort(), 5001, seq(segment) + 1, PacketBuilder.ACK, 65535, 0, new byte[0]);
        ByteBuffer acked = ByteBuffer.allocate(TCP + 20);
        acked.putInt(TCP + 8, (int) (seq(segment) + 1));
        return acked;
    }
}
