package dev.golemsandbox.inet;

import dev.golemsandbox.activity.OutboundAccess;
import dev.golemsandbox.net.EthernetFrame;
import dev.golemsandbox.net.Ipv4;
import dev.golemsandbox.net.PacketBuilder;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** A scripted guest in QEMU's place on an outbound link: sends frames of its making, reads what the gateway sends. */
final class FakeGuest implements AutoCloseable {

    static final int TCP = EthernetFrame.HEADER + PacketBuilder.IP_HEADER;

    final OutboundAccess.Link link;
    final DatagramChannel socket;

    FakeGuest(OutboundAccess.Link link) throws IOException {
        this.link = link;
        socket = DatagramChannel.open();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), link.inetInterface().localPort()));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), link.inetInterface().gatewayPort()));
        socket.socket().setSoTimeout(1500);
    }

    void send(ByteBuffer frame) throws IOException {
        socket.write(frame);
    }

    /** A TCP segment from the guest to {@code to:port}. */
    void tcp(Ipv4 to, int guestPort, int port, long seq, long ack, int flags, int mss, byte[] data) throws IOException {
        ByteBuffer segment = PacketBuilder.tcp(OutboundLink.GUEST, guestPort, to, port, seq, ack, flags, 65535, mss, data, 0, data.length);
        send(PacketBuilder.ipv4(OutboundLink.GUEST_MAC, OutboundLink.GATEWAY_MAC, OutboundLink.GUEST, to, PacketBuilder.PROTO_TCP, segment));
    }

    /** The next frame within 1.5 s, or null. */
    ByteBuffer receive() throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
        try {
            socket.socket().receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return ByteBuffer.wrap(packet.getData(), 0, packet.getLength()).slice();
    }

    /** The next TCP segment, waiting through a loaded machine's delays (null after about 6 s). */
    ByteBuffer nextSegment() throws IOException {
        for (int i = 0; i < 4; i++) {
            ByteBuffer frame = receive();
            if (frame != null && EthernetFrame.etherType(frame) == EthernetFrame.IPV4 && (frame.get(EthernetFrame.HEADER + 9) & 0xff) == 6) {
                return frame;
            }
        }
        return null;
    }

    static long seq(ByteBuffer f) {
        return f.getInt(TCP + 4) & 0xffffffffL;
    }

    static long ack(ByteBuffer f) {
        return f.getInt(TCP + 8) & 0xffffffffL;
    }

    static int flags(ByteBuffer f) {
        return f.get(TCP + 13) & 0x3f;
    }

    static byte[] payload(ByteBuffer f) {
        int total = f.getShort(EthernetFrame.HEADER + 2) & 0xffff;
        int header = ((f.get(TCP + 12) & 0xf0) >>> 4) * 4;
        byte[] data = new byte[total - PacketBuilder.IP_HEADER - header];
        f.get(TCP + header, data);
        return data;
    }

    /** The MSS option of a SYN segment, or -1. */
    static int mss(ByteBuffer f) {
        int header = ((f.get(TCP + 12) & 0xf0) >>> 4) * 4;
        if (header >= 24 && f.get(TCP + 20) == 2 && f.get(TCP + 21) == 4) {
            return f.getShort(TCP + 22) & 0xffff;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        link.close();
        socket.close();
    }
}
