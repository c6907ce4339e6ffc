package dev.golemsandbox.net;

import java.nio.ByteBuffer;

/**
 * Reads the few fields of an Ethernet frame the router routes by: MACs, the EtherType, and the
 * addresses of an ARP or IPv4 payload. Every read is bounds-checked: a guest's frame is hostile.
 * Positions are relative to the buffer's position; nothing is consumed.
 */
public final class EthernetFrame {

    public static final int HEADER = 14;
    public static final int ARP = 0x0806;
    public static final int IPV4 = 0x0800;

    private EthernetFrame() {
    }

    /** The EtherType, or -1 for a runt frame. */
    public static int etherType(ByteBuffer frame) {
        if (frame.remaining() < HEADER) {
            return -1;
        }
        return frame.getShort(frame.position() + 12) & 0xffff;
    }

    /** Whether the destination MAC is broadcast or multicast (its group bit set). */
    public static boolean toGroup(ByteBuffer frame) {
        return frame.remaining() >= HEADER && (frame.get(frame.position()) & 1) != 0;
    }

    /** Whether the source MAC is {@code mac}. */
    public static boolean fromMac(ByteBuffer frame, byte[] mac) {
        if (frame.remaining() < HEADER) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (frame.get(frame.position() + 6 + i) != mac[i]) {
                return false;
            }
        }
        return true;
    }

    /** The sender address of an IPv4 ARP packet, or of an IPv4 packet; null if neither (or too short). */
    public static Ipv4 source(ByteBuffer frame) {
        return switch (etherType(frame)) {
            case ARP -> isIpv4Arp(frame) ? ip(frame, HEADER + 14) : null;
            case IPV4 -> frame.remaining() >= HEADER + 20 ? ip(frame, HEADER + 12) : null;
            default -> null;
        };
    }

    /** The target address of an IPv4 ARP packet, or the destination of an IPv4 packet; null if neither. */
    public static Ipv4 target(ByteBuffer frame) {
        return switch (etherType(frame)) {
            case ARP -> isIpv4Arp(frame) ? ip(frame, HEADER + 24) : null;
            case IPV4 -> frame.remaining() >= HEADER + 20 ? ip(frame, HEADER + 16) : null;
            default -> null;
        };
    }

    /** ARP over Ethernet for IPv4: hardware type 1, protocol 0x0800, lengths 6 and 4. */
    public static boolean isIpv4Arp(ByteBuffer frame) {
        int p = frame.position() + HEADER;
        return frame.remaining() >= HEADER + 28 && frame.getShort(p) == 1 && (frame.getShort(p + 2) & 0xffff) == IPV4
                && frame.get(p + 4) == 6 && frame.get(p + 5) == 4;
    }

    /** The MAC the sandbox gives an address: {@code prefix} (two bytes) and the four address bytes. */
    public static byte[] mac(int prefix, Ipv4 ip) {
        byte[] a = ip.bytes();
        return new byte[]{(byte) (prefix >>> 8), (byte) prefix, a[0], a[1], a[2], a[3]};
    }

    private static Ipv4 ip(ByteBuffer frame, int offset) {
        int p = frame.position() + offset;
        return new Ipv4(frame.getInt(p));
    }
}
