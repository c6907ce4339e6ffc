package dev.golemsandbox.registry;

import dev.golemsandbox.store.ImageResolution;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.ImageTag;
import dev.golemsandbox.store.StoredImage;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.InputStream;
import java.net.URI;
import java.util.function.Supplier;
import java.util.Optional;

/**
 * {@code POST /v1/image/push?tag=repo:tag&hash=<sha3>} with the raw GVMI file as the body: the
 * sandbox's simple upload (the public registry's chunked, signed push is not needed locally). The
 * body is streamed to disk and hashed on the way, never held in memory; {@code hash}, when given,
 * must match; {@code tag} is optional (without it the image is reachable by hash only). Answers
 * 201 with the same body as {@code /v1/image/info}.
 */
final class ImagePushHandler implements Handler {

    private final ImageStore store;
    private final Supplier<URI> publicBaseUrl;

    ImagePushHandler(ImageStore store, Supplier<URI> publicBaseUrl) {
        this.store = store;
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        String tagParam = ctx.queryParam("tag");
        String tag = null;
        if (tagParam != null && !tagParam.isBlank()) {
            try {
                tag = ImageTag.parse(tagParam).toString();
            } catch (IllegalArgumentException e) {
                throw new RegistryApiException(400, e.getMessage());
            }
        }
        String hashParam = ctx.queryParam("hash");
        String expected = hashParam == null || hashParam.isBlank() ? null : ImageQuery.hash(hashParam);
        StoredImage stored;
        try (InputStream body = ctx.req().getInputStream()) {
            stored = store.put(body, expected);
        }
        if (tag != null) {
            stored = store.tag(tag, stored.sha3());
        }
        RegistryJson.write(ctx, 201, ImageInfo.of(new ImageResolution(stored.sha3(), stored, Optional.empty()), tag, publicBaseUrl.get()));
    }
}
