package dev.golemsandbox.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.http.AppKeyCheck;
import dev.golemsandbox.http.Json;
import io.javalin.config.JavalinConfig;
import java.util.List;

/**
 * {@code GET /me} and {@code GET /version/get} as yagna answers them: {@code /me} names the
 * requestor's identity and the app key the request was made with, as yagna does.
 * golem-js requires yagna 0.15.2 or newer, so the sandbox reports itself as {@link #YAGNA_VERSION}.
 */
public final class IdentityComponent implements ApiComponent {

    /** The yagna version the sandbox stands in for. */
    public static final String YAGNA_VERSION = "0.16.0";

    /** The role of every key: yagna's default for {@code app-key create}. */
    public static final String ROLE = "manager";

    /** {@code /me}. */
    public record Identity(String identity, String name, String role) {
    }

    /** One version of {@code /version/get}. */
    public record VersionInfo(String version, String name, boolean seen, String releaseTs, String insertionTs, String updateTs) {
    }

    /** {@code /version/get}; {@code pending} is null: no update is waiting. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Version(VersionInfo current, VersionInfo pending) {
    }

    private static final String RELEASED = "2024-05-01T10:00:00";

    private final String nodeId;
    private final Version version;

    public IdentityComponent(RequestorIdentity identity) {
        this.nodeId = identity.nodeId();
        this.version = new Version(new VersionInfo(YAGNA_VERSION, "v" + YAGNA_VERSION + " (golem-sandbox)", false,
                RELEASED, RELEASED, RELEASED), null);
    }

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        config.routes.get("/me", ctx -> Json.ok(ctx, new Identity(nodeId, AppKeyCheck.keyName(ctx).orElse(AppKeys.MAIN), ROLE)));
        config.routes.get("/version/get", ctx -> Json.ok(ctx, version));
    }

    @Override
    public List<String> publicPathPrefixes() {
        return List.of("/version/get");
    }
}
