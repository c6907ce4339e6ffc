package dev.golemsandbox.net;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 address as a 32-bit value, parsed strictly from dotted-quad text (no leading zeros that
 * could mean octal, no host names: a caller's text never triggers a DNS lookup).
 */
public record Ipv4(int value) implements Comparable<Ipv4> {

    private static final Pattern DOTTED = Pattern.compile("(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})");

    /**
     * {@code text} as an address.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static Ipv4 parse(String text) {
        Matcher m = text == null ? null : DOTTED.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address such as 192.168.0.1");
        }
        int value = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address: " + octet + " is above 255");
            }
            value = (value << 8) | octet;
        }
        return new Ipv4(value);
    }

    /** The 4 bytes, network order. */
    public byte[] bytes() {
        return new byte[]{(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    @Override
    public int compareTo(Ipv4 other) {
        return Integer.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return (value >>> 24) + "." + ((value >>> 16) & 0xff) + "." + ((value >>> 8) & 0xff) + "." + (value & 0xff);
    }
}
