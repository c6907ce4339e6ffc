package dev.golemsandbox.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Requires {@code Authorization: Bearer <app key>} on every request, as yagna does, except on the
 * public path prefixes, and remembers the name of the key that was sent ({@link #keyName}) for the
 * handlers that answer per key ({@code /me}) or only to one key. Runs before every handler, so it is
 * kept to a header read and a lookup.
 */
public final class AppKeyCheck implements Handler {

    private static final String KEY_NAME = "golem-sandbox.app-key-name";

    private final Function<String, Optional<String>> nameOfKey;
    private final String[] publicPrefixes;

    /**
     * @param nameOfKey the name of a valid key, empty for any other text
     */
    public AppKeyCheck(Function<String, Optional<String>> nameOfKey, List<String> publicPrefixes) {
        this.nameOfKey = nameOfKey;
        this.publicPrefixes = publicPrefixes.toArray(String[]::new);
    }

    /** The name of the app key the request was made with; empty on public paths. */
    public static Optional<String> keyName(Context ctx) {
        return Optional.ofNullable(ctx.attribute(KEY_NAME));
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
        String trimmed = header.trim();
        if (!trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException.Unauthorized("the Authorization header must be 'Bearer <app key>'");
        }
        String name = nameOfKey.apply(trimmed.substring(7).trim()).orElseThrow(() -> new ApiException.Unauthorized(
                "invalid app key: it is not a key of this sandbox (see YAGNA_APPKEY in what 'golem-sandbox env' prints, "
                        + "or 'golem-sandbox app-key list')"));
        ctx.attribute(KEY_NAME, name);
    }
}
