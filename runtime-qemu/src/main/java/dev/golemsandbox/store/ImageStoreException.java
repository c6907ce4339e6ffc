package dev.golemsandbox.store;

/**
 * A request to the image store that cannot be honoured as asked: an invalid tag or hash, an
 * ambiguous hash prefix, an upload whose hash differs from the one promised, a file that is not a
 * GVMI image. The message is one line fit to show a user as is.
 */
public class ImageStoreException extends Exception {

    public ImageStoreException(String message) {
        super(message);
    }

    public ImageStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
