package dev.golemsandbox.store;

import dev.golemsandbox.gvmi.GvmiFormatException;
import dev.golemsandbox.gvmi.GvmiImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A GVMI image in the store.
 *
 * @param sha3 SHA3-224 of the file, hex: its name in the store and its hash in task package links
 * @param file the image file (read only: never modify it)
 * @param size bytes
 * @param tags the tags pointing at it, sorted; empty for an image reachable by hash only
 * @param origin where it came from, for people: {@value #LOCAL_ORIGIN}, or e.g. "pulled from
 *        https://registry.golem.network", "served by a requestor over gftp"
 */
public record StoredImage(String sha3, Path file, long size, List<String> tags, String origin) {

    /** The origin of an image pushed, built or converted on this machine. */
    public static final String LOCAL_ORIGIN = "local";

    public StoredImage {
        tags = List.copyOf(tags);
    }

    /** Opens the image to read its metadata. */
    public GvmiImage open() throws GvmiFormatException, IOException {
        return GvmiImage.open(file);
    }
}
