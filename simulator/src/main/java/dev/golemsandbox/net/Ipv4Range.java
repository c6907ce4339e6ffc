package dev.golemsandbox.net;

/**
 * An IPv4 network: its first address and prefix length, e.g. 192.168.7.0/24. Built from the
 * Net API's {@code ip} (plain or CIDR) and optional {@code mask}; an address inside the range is
 * cut to the range's start, as yagna does.
 */
public record Ipv4Range(Ipv4 network, int prefix) {

    public Ipv4Range {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix /" + prefix + " is not between /0 and /32");
        }
        network = new Ipv4(network.value() & maskBits(prefix));
    }

    /**
     * The range of {@code ip} ("192.168.7.0" or "192.168.7.0/24") with {@code mask}
     * ("255.255.255.0", or null). Without either, the address's class decides (A /8, B /16, C /24).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Ipv4Range parse(String ip, String mask) {
        if (ip == null) {
            throw new IllegalArgumentException("no network address given");
        }
        String address = ip;
        Integer prefix = null;
        int slash = ip.indexOf('/');
        if (slash >= 0) {
            address = ip.substring(0, slash);
            String bits = ip.substring(slash + 1);
            if (!bits.matches("\\d{1,2}") || Integer.parseInt(bits) > 32) {
                throw new IllegalArgumentException("'" + ip + "' has no valid prefix length (0 to 32) after '/'");
            }
            prefix = Integer.parseInt(bits);
        }
        Ipv4 start = Ipv4.parse(address);
        if (mask != null) {
            int fromMask = prefixOf(Ipv4.parse(mask));
            if (prefix != null && prefix != fromMask) {
                throw new IllegalArgumentException("'" + ip + "' and mask " + mask + " disagree on the network size");
            }
            prefix = fromMask;
        }
        if (prefix == null) {
            int first = start.value() >>> 24;
            prefix = first < 128 ? 8 : first < 192 ? 16 : 24;
        }
        return new Ipv4Range(start, prefix);
    }

    /** Whether {@code ip} lies in the range. */
    public boolean contains(Ipv4 ip) {
        return (ip.value() & maskBits(prefix)) == network.value();
    }

    /** The first address after the network's own: yagna's default gateway and the requestor's node. */
    public Ipv4 firstHost() {
        return new Ipv4(network.value() + (prefix >= 31 ? 0 : 1));
    }

    /** The mask, dotted ("255.255.255.0"). */
    public Ipv4 mask() {
        return new Ipv4(maskBits(prefix));
    }

    /** "192.168.7.0/24". */
    public String cidr() {
        return network + "/" + prefix;
    }

    private static int maskBits(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    private static int prefixOf(Ipv4 mask) {
        int bits = Integer.bitCount(mask.value());
        if (maskBits(bits) != mask.value()) {
            throw new IllegalArgumentException("mask " + mask + " is not a network mask (its ones must come first)");
        }
        return bits;
    }

    @Override
    public String toString() {
        return cidr();
    }
}
