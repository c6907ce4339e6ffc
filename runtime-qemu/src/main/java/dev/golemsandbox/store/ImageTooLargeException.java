package dev.golemsandbox.store;

/** An upload longer than the store accepts; nothing of it is kept. */
public final class ImageTooLargeException extends ImageStoreException {

    public ImageTooLargeException(String message) {
        super(message);
    }
}
