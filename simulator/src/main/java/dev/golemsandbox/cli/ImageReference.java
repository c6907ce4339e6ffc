package dev.golemsandbox.cli;

import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.image.ProgressListener;
import dev.golemsandbox.store.ImageNotFoundException;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.ImageStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns what the user typed after {@code --image} into a GVMI file: a path to a file, or a tag
 * or hash looked up in the local image store.
 */
final class ImageReference {

    private ImageReference() {
    }

    static Path resolve(String reference, SandboxHome home) {
        Path file = Path.of(reference);
        if (Files.isRegularFile(file)) {
            return file.toAbsolutePath();
        }
        if (reference.startsWith("/") || reference.startsWith(".") || reference.endsWith(".gvmi")) {
            throw new UserError(UserError.BAD_INPUT, "no image " + reference + ": there is no such file", null);
        }
        return fromStore(reference, home).orElseThrow(() -> new UserError(UserError.BAD_INPUT,
                "no image " + reference + ": it is neither a GVMI file nor a tag or hash in the image store at " + home.images(),
                "see 'golem-sandbox image ls' for the images you have, or pass the path of a .gvmi file"));
    }

    /** A tag ({@code repo:tag}) or SHA3 hash in the local image store. */
    private static Optional<Path> fromStore(String reference, SandboxHome home) {
        try {
            ImageStore store = ImageStore.open(home);
            if (reference.equals(ImageStore.DEFAULT_IMAGE_TAG)) {
                return Optional.of(store.defaultImage(ProgressListener.NONE).file());
            }
            return Optional.of(store.resolve(reference).image().file());
        } catch (ImageNotFoundException e) {
            return Optional.empty();
        } catch (ImageStoreException | IOException e) {
            throw new UserError(UserError.BAD_INPUT, "cannot use image " + reference + ": " + e.getMessage(), null);
        }
    }
}
