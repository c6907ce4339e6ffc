package dev.golemsandbox.store;

import java.util.Optional;

/**
 * The answer to "which image is {@code reference}?".
 *
 * @param reference what was asked: a tag, a hash or a hash prefix
 * @param image the image that answers
 * @param standIn set when {@code reference} is a public tag answered by a local stand-in
 */
public record ImageResolution(String reference, StoredImage image, Optional<StandIn> standIn) {
}
