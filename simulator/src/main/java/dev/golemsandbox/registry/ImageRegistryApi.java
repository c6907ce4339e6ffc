package dev.golemsandbox.registry;

import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.store.DefaultImageUnavailableException;
import dev.golemsandbox.store.ImageNotFoundException;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.ImageStoreException;
import dev.golemsandbox.store.ImageTooLargeException;
import io.javalin.config.JavalinConfig;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/**
 * The local image registry's HTTP API, answering like the public Golem registry so requestors
 * can resolve {@code imageTag}/{@code imageHash} against the sandbox ({@code GOLEM_REGISTRY_URL}):
 *
 * <ul>
 *   <li>{@code GET /v1/image/info?tag=..|hash=..} ({@code count}, {@code dev} accepted)</li>
 *   <li>{@code GET|HEAD /v1/image/download?tag=..|hash=..} and {@code /download/<hash>}, with Range</li>
 *   <li>{@code POST /v1/image/push?tag=..&hash=..} with the raw GVMI file as body; a tag needs its
 *       owner's token ({@link RegistryUsers})</li>
 * </ul>
 *
 * <p>A tag or hash the store does not know is asked of the upstream registry, if one is
 * configured ({@link UpstreamRegistry}), and kept in the store.
 *
 * <p>No authentication, like the public registry. Caller mistakes get yagna's
 * {@code {"message": ...}} with 400 (bad parameters, hash mismatch, not a GVMI), 404 (unknown tag
 * or hash) or 416 (bad range); 503 when the default image is needed and cannot be built.
 *
 * <pre>{@code
 * ImageRegistryApi registry = new ImageRegistryApi(store, URI.create("http://127.0.0.1:7465"));
 * Javalin app = Javalin.create(config -> registry.addRoutes(config)).start("127.0.0.1", 7465);
 * }</pre>
 */
public final class ImageRegistryApi implements ApiComponent {

    /** Uploads larger than this are refused unless configured otherwise: larger than any image a provider would take. */
    public static final long DEFAULT_MAX_PUSH_BYTES = 16L << 30;

    private final ImageStore store;
    private final Supplier<URI> publicBaseUrl;
    private final long maxPushBytes;
    private final UpstreamRegistry upstream;

    /**
     * @param store where images live
     * @param publicBaseUrl the base URL providers and requestors reach this server at (download
     *        links in answers start with it), e.g. {@code http://127.0.0.1:7465}
     */
    public ImageRegistryApi(ImageStore store, URI publicBaseUrl) {
        this(store, () -> publicBaseUrl, DEFAULT_MAX_PUSH_BYTES);
    }

    /**
     * For a server whose URL is known only once it listens (port 0): the base URL is asked for
     * on each answer.
     *
     * @param maxPushBytes the largest upload {@code /v1/image/push} accepts
     */
    public ImageRegistryApi(ImageStore store, Supplier<URI> publicBaseUrl, long maxPushBytes) {
        this(store, publicBaseUrl, maxPushBytes, UpstreamRegistry.NONE);
    }

    /**
     * The same, asking {@code upstream} for tags and hashes the store does not know (pull-through).
     */
    public ImageRegistryApi(ImageStore store, Supplier<URI> publicBaseUrl, long maxPushBytes, UpstreamRegistry upstream) {
        this.store = store;
        this.publicBaseUrl = publicBaseUrl;
        this.maxPushBytes = maxPushBytes;
        this.upstream = upstream;
    }

    @Override
    public String name() {
        return "registry";
    }

    /** Like the public registry, reading images needs no app key; pushing one does. */
    @Override
    public List<String> publicPathPrefixes() {
        return List.of("/v1/image/info", "/v1/image/download", "/download/");
    }

    /** {@code <base>/download/<sha3>}: where a provider downloads an image from this registry. */
    public static String downloadUrl(URI publicBaseUrl, String sha3) {
        String base = publicBaseUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/download/" + sha3;
    }

    /** {@code hash:sha3:<sha3>:<download url>}: the task package a requestor puts in its demand. */
    public static String taskPackage(URI publicBaseUrl, String sha3) {
        return "hash:sha3:" + sha3 + ":" + downloadUrl(publicBaseUrl, sha3);
    }

    /** Registers the routes and the error mapping of the registry on a Javalin config (before the server starts). */
    @Override
    public void addRoutes(JavalinConfig config) {
        ImageLookup lookup = new ImageLookup(store, upstream);
        ImageInfoHandler info = new ImageInfoHandler(lookup, publicBaseUrl);
        ImageDownloadHandler download = new ImageDownloadHandler(lookup);
        config.routes.get("/v1/image/info", info);
        config.routes.get("/v1/image/download", download);
        config.routes.head("/v1/image/download", download);
        config.routes.get("/download/{hash}", download);
        config.routes.head("/download/{hash}", download);
        config.routes.post("/v1/image/push", new ImagePushHandler(store, publicBaseUrl, maxPushBytes, RegistryUsers.in(store.directory())));
        config.routes.exception(RegistryApiException.class, (e, ctx) -> {
            if (e.contentRange() != null) {
                ctx.header("Content-Range", e.contentRange());
            }
            RegistryJson.error(ctx, e.status(), e.getMessage());
        });
        config.routes.exception(ImageNotFoundException.class, (e, ctx) -> RegistryJson.error(ctx, 404, e.getMessage()));
        config.routes.exception(DefaultImageUnavailableException.class, (e, ctx) -> RegistryJson.error(ctx, 503, e.getMessage()));
        config.routes.exception(ImageTooLargeException.class, (e, ctx) -> RegistryJson.error(ctx, 413, e.getMessage()));
        config.routes.exception(ImageStoreException.class, (e, ctx) -> RegistryJson.error(ctx, 400, e.getMessage()));
    }
}
