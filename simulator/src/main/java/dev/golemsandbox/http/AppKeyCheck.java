package dev.golemsandbox.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Requires {@code Authorization: Bearer <app key>} on every request, as yagna does, except on the
 * public path prefixes. Runs before every handler, so it is kept to a header read and a compare.
 */
public final class AppKeyCheck implements Handler {

    private final byte[] expected;
    private final String[] publicPrefixes;

    public AppKeyCheck(String appKey, List<String> publicPrefixes) {
        this.expected = ("Bearer " + appKey).getBytes(StandardCharsets.UTF_8);
        this.publicPrefixes = publicPrefixes.toArray(String[]::new);
    }

    @Override
    public void handle(Context ctx) {
        String path = ctx.path();
        for (String prefix : publicPrefixes) {
            if (path.startsWith(prefix)) {
                return;
            }
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new ApiException.Unauthorized("missing app key: send the header 'Authorization: Bearer <app key>' "
                    + "(the key is YAGNA_APPKEY in what 'golem-sandbox env' prints)");
        }
        if (!MessageDigest.isEqual(expected, header.trim().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException.Unauthorized(header.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? "invalid app key: it is not the key of this sandbox (see YAGNA_APPKEY in what 'golem-sandbox env' prints)"
                    : "the Authorization header must be 'Bearer <app key>'");
        }
    }
}
