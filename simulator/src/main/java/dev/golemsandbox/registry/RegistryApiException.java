package dev.golemsandbox.registry;

/**
 * A registry request the caller got wrong (a missing parameter, a bad range): answered with
 * {@code status} and yagna's error body {@code {"message": ...}}.
 */
final class RegistryApiException extends RuntimeException {

    private final int status;
    private final String contentRange;

    RegistryApiException(int status, String message) {
        this(status, message, null);
    }

    /** With the {@code Content-Range} header a 416 answer carries ({@code bytes *}{@code /<size>}). */
    RegistryApiException(int status, String message, String contentRange) {
        super(message);
        this.status = status;
        this.contentRange = contentRange;
    }

    int status() {
        return status;
    }

    /** The Content-Range header to send, or null. */
    String contentRange() {
        return contentRange;
    }
}
