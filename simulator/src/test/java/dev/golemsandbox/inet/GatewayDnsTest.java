package dev.golemsandbox.inet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.activity.OutboundGrant;
import dev.golemsandbox.net.EthernetFrame;
import dev.golemsandbox.net.Ipv4;
import dev.golemsandbox.net.PacketBuilder;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DNS at the gateway, over UDP from a scripted guest: a URL grant answers its own names (at the
 * gateway and at a public resolver's address alike) and NXDOMAIN for others; an unrestricted grant
 * resolves any name on the host but never answers an address of this machine.
 */
class GatewayDnsTest {

    private static final Ipv4 GATEWAY = Ipv4.parse("10.42.42.1");
    private static final Ipv4 WORLD = Ipv4.parse("203.0.113.7");

    OutboundGateway gateway;
    FakeGuest guest;

    private void open(OutboundGrant grant) throws Exception {
        gateway = new OutboundGateway(host -> switch (host) {
            case "files.example", "any.example" -> List.of(WORLD);
            case "localhost" -> List.of(Ipv4.parse("127.0.0.1"));
            default -> throw new UnknownHostException(host);
        });
        guest = new FakeGuest(gateway.open(grant, "dns"));
    }

    @AfterEach
    void stop() throws Exception {
        guest.close();
        gateway.close();
    }

    /** The gateway's answer to a query for {@code name} sent to {@code server}, or null. */
    private ByteBuffer ask(Ipv4 server, String name) throws Exception {
        byte[] query = DnsResponderTest.query(0x4242, name, 1);
        guest.send(PacketBuilder.ipv4(OutboundLink.GUEST_MAC, OutboundLink.GATEWAY_MAC, OutboundLink.GUEST, server, PacketBuilder.PROTO_UDP,
                PacketBuilder.udp(OutboundLink.GUEST, 33333, server, 53, query, 0, query.length)));
        for (int i = 0; i < 4; i++) {
            ByteBuffer frame = guest.receive();
            if (frame != null && EthernetFrame.etherType(frame) == EthernetFrame.IPV4 && (frame.get(EthernetFrame.HEADER + 9) & 0xff) == 17) {
                assertThat(EthernetFrame.source(frame)).isEqualTo(server);
                return frame.position(EthernetFrame.HEADER + PacketBuilder.IP_HEADER + PacketBuilder.UDP_HEADER).slice();
            }
        }
        return null;
    }

    @Test
    void aUrlGrantAnswersItsNamesOnly() throws Exception {
        open(new OutboundGrant(false, List.of(URI.create("https://files.example/"))));
        ByteBuffer known = ask(GATEWAY, "files.example");
        assertThat(known.getShort(6)).isEqualTo((short) 1);
        assertThat(known.getInt(known.limit() - 4)).isEqualTo(WORLD.value());
        assertThat(ask(Ipv4.parse("8.8.8.8"), "files.example").getShort(6)).isEqualTo((short) 1);
        assertThat(ask(GATEWAY, "any.example").getShort(2) & 0xf).as("NXDOMAIN").isEqualTo(3);
    }

    @Test
    void anUnrestrictedGrantResolvesAnyNameButNeverToThisMachine() throws Exception {
        open(new OutboundGrant(true, List.of()));
        ByteBuffer any = ask(GATEWAY, "any.example");
        assertThat(any).isNotNull();
        assertThat(any.getInt(any.limit() - 4)).isEqualTo(WORLD.value());
        ByteBuffer local = ask(GATEWAY, "localhost");
        assertThat(local.getShort(2) & 0xf).isZero();
        assertThat(local.getShort(6)).as("no record: loopback is not reachable").isZero();
        assertThat(ask(GATEWAY, "nowhere.example").getShort(2) & 0xf).isEqualTo(3);
    }
}
