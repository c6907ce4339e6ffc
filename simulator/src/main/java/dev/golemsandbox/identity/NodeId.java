package dev.golemsandbox.identity;

import dev.golemsandbox.gvmi.Sha3;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Golem node ids: {@code 0x} and 40 lower-case hex digits, like an Ethereum address. The sandbox
 * derives them from a stable seed (a provider's name, the app key), so the same name gets the
 * same id in every run.
 */
public final class NodeId {

    private static final Pattern FORMAT = Pattern.compile("0x[0-9a-f]{40}");

    private NodeId() {
    }

    /** The id derived from {@code seed}: the first 20 bytes of its SHA3-256. */
    public static String derive(String seed) {
        byte[] digest = Sha3.digest("SHA3-256").digest(seed.getBytes(StandardCharsets.UTF_8));
        return "0x" + HexFormat.of().formatHex(digest, 0, 20);
    }

    /** Whether {@code text} is a node id (lower-case; use {@link #normalize} first for user input). */
    public static boolean isValid(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }

    /** {@code text} in lower case, as ids are compared. */
    public static String normalize(String text) {
        return text == null ? null : text.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
