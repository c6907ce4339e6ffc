package dev.golemsandbox.net;

import java.nio.ByteBuffer;

/**
 * Builds the Ethernet frames the sandbox's nodes send (ARP replies, ICMP echo replies, TCP
 * segments, UDP datagrams) and computes the Internet checksums, as RFC 768, 791, 792, 793 and 826
 * lay them out.
 */
public final class PacketBuilder {

    public static final int IP_HEADER = 20;
    public static final int TCP_HEADER = 20;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int UDP_HEADER = 8;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private PacketBuilder() {
    }

    /** The one's-complement sum of {@code length} bytes at {@code offset}, folded, starting from {@code initial}. */
    public static int checksum(ByteBuffer b, int offset, int length, int initial) {
        long sum = initial;
        int i = 0;
        for (; i + 1 < length; i += 2) {
            sum += b.getShort(offset + i) & 0xffff;
        }
        if (i < length) {
            sum += (b.get(offset + i) & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The sum of the TCP/UDP pseudo-header. */
    public static int pseudoHeader(Ipv4 source, Ipv4 destination, int protocol, int length) {
        long sum = (source.value() >>> 16) + (source.value() & 0xffff) + (destination.value() >>> 16)
                + (destination.value() & 0xffff) + protocol + length;
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** An ARP reply telling {@code toIp} at {@code toMac} that {@code ip} is at {@code mac}. */
    public static ByteBuffer arpReply(byte[] mac, Ipv4 ip, byte[] toMac, Ipv4 toIp) {
        ByteBuffer f = ByteBuffer.allocate(EthernetFrame.HEADER + 28);
        f.put(toMac).put(mac).putShort((short) EthernetFrame.ARP);
        f.putShort((short) 1).putShort((short) EthernetFrame.IPV4).put((byte) 6).put((byte) 4).putShort((short) 2);
        f.put(mac).putInt(ip.value()).put(toMac).putInt(toIp.value());
        return f.flip();
    }

    /** An IPv4 frame around {@code payload} (already complete, checksums included), with its header checksum. */
    public static ByteBuffer ipv4(byte[] srcMac, byte[] dstMac, Ipv4 src, Ipv4 dst, int protocol, ByteBuffer payload) {
        int total = IP_HEADER + payload.remaining();
        ByteBuffer f = ByteBuffer.allocate(EthernetFrame.HEADER + total);
        f.put(dstMac).put(srcMac).putShort((short) EthernetFrame.IPV4);
        int ip = f.position();
        f.put((byte) 0x45).put((byte) 0).putShort((short) total).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) protocol).putShort((short) 0).putInt(src.value()).putInt(dst.value());
        f.putShort(ip + 10, (short) ~checksum(f, ip, IP_HEADER, 0));
        f.put(payload.duplicate());
        return f.flip();
    }

    /**
     * A TCP segment from {@code src:srcPort} to {@code dst:dstPort} with its checksum; with
     * {@code mss} > 0 it carries the MSS option (for a SYN).
     */
    public static ByteBuffer tcp(Ipv4 src, int srcPort, Ipv4 dst, int dstPort, long seq, long ack, int flags, int window,
                          int mss, byte[] data, int offset, int length) {
        int header = TCP_HEADER + (mss > 0 ? 4 : 0);
        ByteBuffer t = ByteBuffer.allocate(header + length);
        t.putShort((short) srcPort).putShort((short) dstPort).putInt((int) seq).putInt((int) ack)
                .put((byte) ((header / 4) << 4)).put((byte) flags).putShort((short) window).putShort((short) 0).putShort((short) 0);
        if (mss > 0) {
            t.put((byte) 2).put((byte) 4).putShort((short) mss);
        }
        if (length > 0) {
            t.put(data, offset, length);
        }
        t.flip();
        int sum = checksum(t, 0, t.limit(), pseudoHeader(src, dst, PROTO_TCP, t.limit()));
        t.putShort(16, (short) ~sum);
        return t;
    }

    /** A UDP datagram from {@code src:srcPort} to {@code dst:dstPort} with its checksum. */
    public static ByteBuffer udp(Ipv4 src, int srcPort, Ipv4 dst, int dstPort, byte[] data, int offset, int length) {
        ByteBuffer u = ByteBuffer.allocate(UDP_HEADER + length);
        u.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (UDP_HEADER + length)).putShort((short) 0);
        u.put(data, offset, length).flip();
        int sum = ~checksum(u, 0, u.limit(), pseudoHeader(src, dst, PROTO_UDP, u.limit())) & 0xffff;
        u.putShort(6, (short) (sum == 0 ? 0xffff : sum)); // 0 would mean "no checksum"
        return u;
    }
}
