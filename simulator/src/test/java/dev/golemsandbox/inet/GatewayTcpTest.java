package dev.golemsandbox.inet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.activity.OutboundGrant;
import dev.golemsandbox.net.Ipv4;
import dev.golemsandbox.net.PacketBuilder;
import dev.golemsandbox.testing.Await;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's passive TCP against a scripted guest: the SYN answered with a SYN-ACK carrying
 * the MSS, the SYN-ACK sent again when the guest's ACK does not come, bytes relayed to a host
 * server and back, and a FIN on each side half-closing the other.
 */
class GatewayTcpTest {

    private static final Ipv4 GATEWAY = Ipv4.parse("10.42.42.1");

    OutboundGateway gateway;
    ServerSocket server;
    FakeGuest guest;

    @BeforeEach
    void start() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        gateway = new OutboundGateway();
        guest = new FakeGuest(gateway.open(new OutboundGrant(false,
                List.of(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"))), "test"));
    }

    @AfterEach
    void stop() throws Exception {
        guest.close();
        gateway.close();
        server.close();
    }

    @Test
    void aGuestConnectionIsAcceptedRelayedBothWaysAndHalfClosedByEachSide() throws Exception {
        int port = server.getLocalPort();
        CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        guest.tcp(GATEWAY, 40000, port, 1000, 0, PacketBuilder.SYN, 1460, new byte[0]);
        ByteBuffer synAck = guest.nextSegment();
        assertThat(synAck).isNotNull();
        assertThat(FakeGuest.flags(synAck)).isEqualTo(PacketBuilder.SYN | PacketBuilder.ACK);
        assertThat(FakeGuest.ack(synAck)).isEqualTo(1001);
        assertThat(FakeGuest.mss(synAck)).isEqualTo(OutboundLink.MSS);
        long serverSeq = FakeGuest.seq(synAck) + 1;

        // No ACK: the SYN-ACK comes again.
        ByteBuffer again = guest.nextSegment();
        assertThat(again).as("the SYN-ACK retransmitted").isNotNull();
        assertThat(FakeGuest.flags(again)).isEqualTo(PacketBuilder.SYN | PacketBuilder.ACK);
        assertThat(FakeGuest.seq(again)).isEqualTo(serverSeq - 1);

        byte[] request = "ping".getBytes(StandardCharsets.UTF_8);
        guest.tcp(GATEWAY, 40000, port, 1001, serverSeq, PacketBuilder.ACK | PacketBuilder.PSH, 0, request);
        Socket host = accepted.get(10, TimeUnit.SECONDS);
        host.setSoTimeout(10_000);
        InputStream in = host.getInputStream();
        assertThat(in.readNBytes(4)).isEqualTo(request);

        OutputStream out = host.getOutputStream();
        out.write("pong".getBytes(StandardCharsets.UTF_8));
        out.flush();
        ByteBuffer data = nextWithPayload();
        assertThat(FakeGuest.payload(data)).isEqualTo("pong".getBytes(StandardCharsets.UTF_8));
        assertThat(FakeGuest.seq(data)).isEqualTo(serverSeq);
        guest.tcp(GATEWAY, 40000, port, 1005, serverSeq + 4, PacketBuilder.ACK, 0, new byte[0]);

        // The guest's FIN reaches the host as end of stream; the host can still answer.
        guest.tcp(GATEWAY, 40000, port, 1005, serverSeq + 4, PacketBuilder.FIN | PacketBuilder.ACK, 0, new byte[0]);
        assertThat(in.read()).as("end of stream at the host").isEqualTo(-1);
        out.write("late".getBytes(StandardCharsets.UTF_8));
        out.flush();
        ByteBuffer late = nextWithPayload();
        assertThat(FakeGuest.payload(late)).isEqualTo("late".getBytes(StandardCharsets.UTF_8));
        guest.tcp(GATEWAY, 40000, port, 1006, serverSeq + 8, PacketBuilder.ACK, 0, new byte[0]);

        // The host closes: the guest gets the gateway's FIN, and once it is acknowledged the connection is gone.
        host.close();
        ByteBuffer fin = null;
        for (int i = 0; i < 4 && fin == null; i++) {
            ByteBuffer segment = guest.nextSegment();
            if (segment != null && (FakeGuest.flags(segment) & PacketBuilder.FIN) != 0) {
                fin = segment;
            }
        }
        assertThat(fin).as("the gateway's FIN").isNotNull();
        guest.tcp(GATEWAY, 40000, port, 1006, FakeGuest.seq(fin) + 1, PacketBuilder.ACK, 0, new byte[0]);
        OutboundLink link = gateway.links().iterator().next();
        Await.until("the connection is forgotten", () -> link.tcpConnections() == 0);
    }

    private ByteBuffer nextWithPayload() throws Exception {
        for (int i = 0; i < 6; i++) {
            ByteBuffer segment = guest.nextSegment();
            if (segment != null && FakeGuest.payload(segment).length > 0) {
                return segment;
            }
        }
        throw new AssertionError("no data segment from the gateway");
    }
}
