package dev.golemsandbox.identity;

import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.AppKeyCheck;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.http.JsonBody;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * {@code /_sandbox/app-keys}: what {@code yagna app-key list / create / drop} do, for
 * {@code golem-sandbox app-key}. Only the main key may manage keys (as only yagna's own CLI can);
 * any other valid key gets 403.
 *
 * <pre>
 * GET    /_sandbox/app-keys                     [{"name","key","identity","role","created","kept"}]
 * POST   /_sandbox/app-keys {"name","key"?}     201, the new key (a random one without "key")
 * DELETE /_sandbox/app-keys/{name}              204; 404 unknown, 409 the main key or one given at start
 * </pre>
 */
public final class AppKeyApi implements ApiComponent {

    /** One key as listed. */
    public record AppKeyView(String name, String key, String identity, String role, String created, boolean kept) {
    }

    private final AppKeys keys;
    private final String identity;

    /**
     * @param identity the requestor's node id, the identity every key belongs to
     */
    public AppKeyApi(AppKeys keys, String identity) {
        this.keys = keys;
        this.identity = identity;
    }

    @Override
    public String name() {
        return "app-keys";
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        config.routes.get("/_sandbox/app-keys", ctx -> {
            requireMainKey(ctx);
            Json.ok(ctx, keys.list().stream().map(this::view).toList());
        });
        config.routes.post("/_sandbox/app-keys", ctx -> {
            requireMainKey(ctx);
            JsonBody body = JsonBody.of(ctx);
            Json.created(ctx, view(keys.create(body.string("name"), body.optionalString("key"))));
        });
        config.routes.delete("/_sandbox/app-keys/{name}", ctx -> {
            requireMainKey(ctx);
            keys.drop(ctx.pathParam("name"));
            Json.noContent(ctx);
        });
    }

    private AppKeyView view(AppKeys.NamedKey key) {
        return new AppKeyView(key.name(), key.key(), identity, IdentityComponent.ROLE, key.created(), key.kept());
    }

    private static void requireMainKey(Context ctx) {
        if (!AppKeyCheck.keyName(ctx).map(AppKeys.MAIN::equals).orElse(false)) {
            throw new ApiException.Forbidden("only the sandbox's main app key (YAGNA_APPKEY of 'golem-sandbox env') manages app keys");
        }
    }
}
