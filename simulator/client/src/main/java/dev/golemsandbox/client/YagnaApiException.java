package dev.golemsandbox.client;

/** A yagna API call answered with an error status; the message is the body's {@code message}. */
public final class YagnaApiException extends RuntimeException {

    private final int status;

    public YagnaApiException(String call, int status, String message) {
        super(call + " -> " + status + ": " + message);
        this.status = status;
    }

    /** The HTTP status, or 0 when the call never got an answer. */
    public int status() {
        return status;
    }
}
