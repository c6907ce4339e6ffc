package dev.golemsandbox.registry;

import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * The image a registry request names: {@code ?tag=repo:tag} or {@code ?hash=<sha3>} (exactly one),
 * or the hash in a {@code /download/<hash>} path.
 */
final class ImageQuery {

    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{56}");

    private ImageQuery() {
    }

    /**
     * The tag or hash asked for.
     *
     * @throws RegistryApiException (400) when neither or both are given, or the hash is malformed
     */
    static String reference(Context ctx) {
        String tag = ctx.queryParam("tag");
        String hash = ctx.queryParam("hash");
        boolean hasTag = tag != null && !tag.isBlank();
        boolean hasHash = hash != null && !hash.isBlank();
        if (hasTag == hasHash) {
            throw new RegistryApiException(400, "give exactly one of the query parameters tag (repo:tag) or hash (SHA3-224)");
        }
        return hasTag ? tag.trim() : hash(hash);
    }

    /**
     * A SHA3-224 hash in lower case.
     *
     * @throws RegistryApiException (400) when it is not 56 hex digits
     */
    static String hash(String text) {
        String hash = text.trim();
        if (!HASH.matcher(hash).matches()) {
            throw new RegistryApiException(400, "'" + hash + "' is not a SHA3-224 image hash (56 hex digits)");
        }
        return hash.toLowerCase(java.util.Locale.ROOT);
    }
}
