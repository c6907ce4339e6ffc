package dev.golemsandbox.manifest;

/** A demand's manifest cannot be used: its message says what is wrong and where, for the requestor to fix. */
public final class InvalidManifestException extends RuntimeException {

    public InvalidManifestException(String message) {
        super(message);
    }
}
