package dev.golemsandbox.inet;

import dev.golemsandbox.net.Ipv4;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The gateway's name server (RFC 1035): answers a standard query for one name with the A records
 * the grant allows, no records for other types of a granted name (the guest has no IPv6), and
 * NXDOMAIN for every other name; it never asks anyone else. A query it cannot read gets no answer,
 * as from a server that dropped it. Every read is bounds-checked: the query is the guest's.
 */
final class DnsResponder {

    static final int PORT = 53;
    private static final int HEADER = 12;
    private static final int TYPE_A = 1;
    private static final int CLASS_IN = 1;
    private static final int TTL_SECONDS = 60;
    private static final int NOERROR = 0;
    private static final int NXDOMAIN = 3;
    private static final int NOTIMP = 4;
    private static final int MAX_NAME = 255;
    /** Answers that fit a classic 512-byte DNS message. */
    private static final int MAX_ANSWERS = 16;

    private final Function<String, Optional<List<Ipv4>>> lookup;

    /** @param lookup the addresses of a name for the guest; empty when it is not the grant's */
    DnsResponder(Function<String, Optional<List<Ipv4>>> lookup) {
        this.lookup = lookup;
    }

    /** The answer to the query of {@code length} bytes at {@code query}'s position, or empty to drop it. */
    Optional<byte[]> answer(ByteBuffer query, int length) {
        int start = query.position();
        if (length < HEADER || length > query.remaining()) {
            return Optional.empty();
        }
        int flags = query.getShort(start + 2) & 0xffff;
        int questions = query.getShort(start + 4) & 0xffff;
        if ((flags & 0x8000) != 0 || questions != 1) {
            return Optional.empty(); // a response, or not exactly one question
        }
        StringBuilder name = new StringBuilder();
        int p = start + HEADER;
        int end = start + length;
        while (true) {
            if (p >= end) {
                return Optional.empty();
            }
            int label = query.get(p++) & 0xff;
            if (label == 0) {
                break;
            }
            if (label > 63 || p + label > end || name.length() + label + 1 > MAX_NAME) {
                return Optional.empty(); // a pointer (never in a question), or too long
            }
            if (name.length() > 0) {
                name.append('.');
            }
            for (int i = 0; i < label; i++) {
                char c = (char) (query.get(p + i) & 0xff);
                if (c <= ' ' || c >= 0x7f) {
                    return Optional.empty();
                }
                name.append(c);
            }
            p += label;
        }
        if (p + 4 > end) {
            return Optional.empty();
        }
        int type = query.getShort(p) & 0xffff;
        int qclass = query.getShort(p + 2) & 0xffff;
        int questionEnd = p + 4;
        int opcode = (flags >>> 11) & 0xf;
        List<Ipv4> addresses = List.of();
        int rcode;
        if (opcode != 0) {
            rcode = NOTIMP;
        } else {
            Optional<List<Ipv4>> granted = lookup.apply(name.toString().toLowerCase(Locale.ROOT));
            rcode = granted.isPresent() ? NOERROR : NXDOMAIN;
            if (granted.isPresent() && type == TYPE_A && qclass == CLASS_IN) {
                addresses = granted.get().subList(0, Math.min(MAX_ANSWERS, granted.get().size()));
            }
        }
        int questionLength = questionEnd - start - HEADER;
        ByteBuffer reply = ByteBuffer.allocate(HEADER + questionLength + addresses.size() * 16);
        reply.putShort(query.getShort(start));                             // the query's id
        reply.putShort((short) (0x8000 | (opcode << 11) | 0x0400 | (flags & 0x0100) | 0x0080 | rcode)); // QR AA RD RA
        reply.putShort((short) 1).putShort((short) addresses.size()).putShort((short) 0).putShort((short) 0);
        for (int i = 0; i < questionLength; i++) {
            reply.put(query.get(start + HEADER + i));
        }
        for (Ipv4 address : addresses) {
            reply.putShort((short) 0xc00c)                                  // the name: a pointer to the question's
                    .putShort((short) TYPE_A).putShort((short) CLASS_IN).putInt(TTL_SECONDS)
                    .putShort((short) 4).putInt(address.value());
        }
        return Optional.of(reply.array());
    }
}
