package dev.golemsandbox.store;

/** No image answers to a tag, hash or hash prefix (or a stand-in points to an image that is not there). */
public final class ImageNotFoundException extends ImageStoreException {

    public ImageNotFoundException(String message) {
        super(message);
    }
}
