package dev.golemsandbox.http;

import java.security.SecureRandom;
import java.util.HexFormat;

/** New random ids for API objects: lower-case hex, as yagna's ids look. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** {@code bytes} random bytes as hex (32 hex characters for 16 bytes). */
    public static String hex(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }
}
