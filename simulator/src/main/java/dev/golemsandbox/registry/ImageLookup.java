package dev.golemsandbox.registry;

import dev.golemsandbox.store.ImageNotFoundException;
import dev.golemsandbox.store.ImageResolution;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.ImageStoreException;
import dev.golemsandbox.store.ImageTag;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which image answers a registry request: the local store (its tags, stand-ins and hashes) first,
 * then the upstream registry for a tag or full hash the store does not know. A miss everywhere is
 * an {@link ImageNotFoundException} that names the tag or hash and says how to make it available.
 */
final class ImageLookup {

    private static final Pattern FULL_HASH = Pattern.compile("[0-9a-fA-F]{56}");

    private final ImageStore store;
    private final UpstreamRegistry upstream;

    ImageLookup(ImageStore store, UpstreamRegistry upstream) {
        this.store = store;
        this.upstream = upstream;
    }

    ImageResolution resolve(String reference) throws ImageStoreException, IOException {
        try {
            return store.resolve(reference);
        } catch (ImageNotFoundException e) {
            String trimmed = reference.trim();
            boolean hash = FULL_HASH.matcher(trimmed).matches();
            String tag = !hash && ImageTag.isValid(trimmed) ? ImageTag.parse(trimmed).toString() : null;
            if (!hash && tag == null) {
                throw e;
            }
            UpstreamRegistry.Pull pull = upstream.pull(tag, hash ? trimmed.toLowerCase(java.util.Locale.ROOT) : null);
            if (pull.succeeded()) {
                return new ImageResolution(reference, pull.image(), Optional.empty());
            }
            throw new ImageNotFoundException(MissingImageMessage.of(e.getMessage(), tag, pull.whyNot()));
        }
    }
}
