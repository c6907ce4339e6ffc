package dev.golemsandbox.registry;

import dev.golemsandbox.store.ImageResolution;
import dev.golemsandbox.store.ImageTag;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.net.URI;
import java.util.function.Supplier;

/**
 * {@code GET /v1/image/info?tag=repo:tag} or {@code ?hash=<sha3>}: which image answers, its size
 * and where to download it. {@code count} and {@code dev}, which golem-js sends, are accepted and
 * change nothing.
 */
final class ImageInfoHandler implements Handler {

    private final ImageLookup images;
    private final Supplier<URI> publicBaseUrl;

    ImageInfoHandler(ImageLookup images, Supplier<URI> publicBaseUrl) {
        this.images = images;
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        String reference = ImageQuery.reference(ctx);
        String tag = null;
        if (ctx.queryParam("tag") != null) {
            try {
                tag = ImageTag.parse(reference).toString();
            } catch (IllegalArgumentException e) {
                throw new RegistryApiException(400, e.getMessage());
            }
        }
        ImageResolution resolution = images.resolve(reference);
        RegistryJson.write(ctx, 200, ImageInfo.of(resolution, tag, publicBaseUrl.get()));
    }
}
