package dev.golemsandbox.store;

import dev.golemsandbox.gvmi.GvmiFormatException;
import dev.golemsandbox.image.BusyboxRootfs;
import dev.golemsandbox.image.Compression;
import dev.golemsandbox.image.ConversionResult;
import dev.golemsandbox.image.GvmiConverter;
import dev.golemsandbox.image.ImageConversionException;
import dev.golemsandbox.image.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Keeps the store's default image ({@value ImageStore#DEFAULT_IMAGE_TAG}) present and current:
 * built from the host's static busybox on first use, rebuilt when the recipe or the busybox
 * changed (the image's labels record both), otherwise taken from the store as it is.
 */
final class DefaultImage {

    private final ImageStore store;
    private final Path busybox;
    /** The hash last found current, so that later calls skip the check. */
    private volatile String verifiedSha3;

    DefaultImage(ImageStore store, Path busybox) {
        this.store = store;
        this.busybox = busybox;
    }

    synchronized StoredImage ensure(ProgressListener progress) throws ImageStoreException, IOException {
        Optional<StoredImage> cached = tagged();
        if (cached.isPresent() && cached.get().sha3().equals(verifiedSha3)) {
            return cached.get();
        }
        BusyboxRootfs recipe;
        try {
            recipe = BusyboxRootfs.of(busybox);
        } catch (ImageConversionException e) {
            if (cached.isPresent()) {
                // Cannot tell whether it is current, but it is a working image: better than none.
                return cached.get();
            }
            throw new DefaultImageUnavailableException("cannot build the default image " + ImageStore.DEFAULT_IMAGE_TAG
                    + ": " + e.getMessage(), e);
        }
        if (cached.isPresent() && isBuildOf(recipe, cached.get())) {
            verifiedSha3 = cached.get().sha3();
            return cached.get();
        }
        StoredImage built = build(recipe, progress);
        verifiedSha3 = built.sha3();
        return built;
    }

    private StoredImage build(BusyboxRootfs recipe, ProgressListener progress) throws ImageStoreException, IOException {
        progress.step("building the default image " + ImageStore.DEFAULT_IMAGE_TAG + " from " + busybox
                + " (" + recipe.busyboxVersion() + ")");
        Path output = store.newIncomingFile();
        try {
            ConversionResult result = new GvmiConverter(Compression.LZO, progress)
                    .withWorkDirectory(output.getParent())
                    .convertBusyboxImage(recipe, output);
            StoredImage stored = store.putMoving(output, result.sha3());
            return store.tag(ImageStore.DEFAULT_IMAGE_TAG, stored.sha3());
        } catch (ImageConversionException e) {
            throw new DefaultImageUnavailableException("cannot build the default image " + ImageStore.DEFAULT_IMAGE_TAG
                    + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private Optional<StoredImage> tagged() throws IOException {
        String hash = store.index().read().get(ImageStore.DEFAULT_IMAGE_TAG);
        return hash == null ? Optional.empty() : store.byHash(hash);
    }

    private static boolean isBuildOf(BusyboxRootfs recipe, StoredImage image) throws IOException {
        try {
            return recipe.isBuildOf(image.open().config());
        } catch (GvmiFormatException e) {
            return false;
        }
    }
}
