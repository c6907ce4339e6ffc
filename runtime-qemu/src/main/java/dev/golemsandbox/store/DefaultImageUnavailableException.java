package dev.golemsandbox.store;

/**
 * The default image ({@value ImageStore#DEFAULT_IMAGE_TAG}) is not in the store and cannot be
 * built here (no static busybox, no mksquashfs). Not the caller's fault: the host lacks a tool,
 * which the message names.
 */
public final class DefaultImageUnavailableException extends ImageStoreException {

    public DefaultImageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
