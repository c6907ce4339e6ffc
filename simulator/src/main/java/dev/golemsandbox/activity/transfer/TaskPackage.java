package dev.golemsandbox.activity.transfer;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The image a demand asks for, from {@code golem.srv.comp.task_package}:
 * {@code hash:sha3:<hex hash>:<download url>}. The hash length picks the SHA3 variant
 * (56 hex digits: SHA3-224, the registry's; 64, 96, 128: SHA3-256, -384, -512).
 *
 * @param hash lower-case hex
 * @param url  where to download the GVMI file: http(s), or {@code gftp://<node>/<id>} for a file the
 *             requestor serves itself (golem-js's {@code imageUrl: "file://..."})
 */
public record TaskPackage(String hash, URI url) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    /**
     * Parses a task package property.
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    public static TaskPackage parse(String value) {
        String[] parts = value.split(":", 4);
        if (parts.length != 4 || !parts[0].equals("hash") || !parts[1].equals("sha3")) {
            throw new IllegalArgumentException("golem.srv.comp.task_package must be hash:sha3:<hash>:<url>, got \""
                    + value + "\"");
        }
        String hash = parts[2].toLowerCase(Locale.ROOT);
        if (!HEX.matcher(hash).matches() || !Set.of(56, 64, 96, 128).contains(hash.length())) {
            throw new IllegalArgumentException("golem.srv.comp.task_package has \"" + parts[2]
                    + "\" as its hash; a SHA3 hash is 56, 64, 96 or 128 hex digits");
        }
        try {
            URI url = new URI(parts[3]);
            if (url.getScheme() == null || url.getHost() == null) {
                throw new URISyntaxException(parts[3], "not an absolute http(s):// or gftp:// URL");
            }
            return new TaskPackage(hash, url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("golem.srv.comp.task_package has a bad download URL: " + e.getMessage());
        }
    }
}
