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
 * sandbox's simple upload (the public registry's chunked, signed push is not needed locally). It
 * needs the app key (the server checks it). The body is checked while it streams to disk (it must
 * start like a GVMI file and stay within the size limit: 413 past it) and hashed on the way,
 * never held in memory; {@code hash}, when given, must match; {@code tag} is optional (without it
 * the image is reachable by hash only) and may not name a stand-in for a public image or the
 * default image (409); a tag lives under an owner ({@code owner/name:tag}) and needs that
 * {@link RegistryUsers registry user's} token (401, 403), a push by hash alone needs none. Answers 201 with the same body as {@code /v1/image/info}.
 */
final class ImagePushHandler implements Handler {

    private final ImageStore store;
    private final Supplier<URI> publicBaseUrl;
    private final long maxBytes;
    private final RegistryUsers users;

    ImagePushHandler(ImageStore store, Supplier<URI> publicBaseUrl, long maxBytes, RegistryUsers users) {
        this.store = store;
        this.users = users;
        this.publicBaseUrl = publicBaseUrl;
        this.maxBytes = maxBytes;
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
            refuseReserved(tag);
            // Before a byte of the body is read: an upload nobody may tag is not taken in.
            users.authorizeTagPush(tag, ctx.header(RegistryUsers.TOKEN_HEADER));
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw new RegistryApiException(413, "the upload is " + declared + " bytes, more than the " + maxBytes
                    + " bytes this registry accepts (set GOLEM_SANDBOX_MAX_PUSH_BYTES to allow more)");
        }
        String hashParam = ctx.queryParam("hash");
        String expected = hashParam == null || hashParam.isBlank() ? null : ImageQuery.hash(hashParam);
        StoredImage stored;
        try (InputStream body = ctx.req().getInputStream()) {
            stored = store.put(body, expected, maxBytes);
        }
        if (tag != null) {
            stored = store.tag(tag, stored.sha3());
        }
        RegistryJson.write(ctx, 201, ImageInfo.of(new ImageResolution(stored.sha3(), stored, Optional.empty()), tag, publicBaseUrl.get()));
    }

    /** Stand-ins and the default image are the sandbox's own answers for those tags: a push may not re-point them. */
    private void refuseReserved(String tag) {
        if (tag.equals(ImageStore.DEFAULT_IMAGE_TAG)) {
            throw new RegistryApiException(409, tag + " is the sandbox's default image and cannot be replaced by a push;"
                    + " push under a name of your own, e.g. me/app:1");
        }
        if (store.standIns().forTag(ImageTag.parse(tag)).isPresent()) {
            throw new RegistryApiException(409, tag + " is a public image the sandbox answers with a stand-in; a push cannot"
                    + " re-point it. Push under a name of your own, or map the tag in stand-ins.json");
        }
    }
}
