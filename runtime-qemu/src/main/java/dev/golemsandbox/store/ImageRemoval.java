package dev.golemsandbox.store;

import java.util.List;

/**
 * What {@link ImageStore#remove} did.
 *
 * @param untagged tags removed
 * @param deletedSha3 the hash of the image file deleted, or null when the image is still tagged
 */
public record ImageRemoval(List<String> untagged, String deletedSha3) {

    public ImageRemoval {
        untagged = List.copyOf(untagged);
    }
}
