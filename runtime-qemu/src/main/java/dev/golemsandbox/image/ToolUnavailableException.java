package dev.golemsandbox.image;

/**
 * Something a conversion needs is not there: a host tool ({@code mksquashfs}, {@code zstd}) or a
 * reachable Docker engine. The message says what is missing and how to get it.
 */
public final class ToolUnavailableException extends ImageConversionException {

    public ToolUnavailableException(String message) {
        super(message);
    }

    public ToolUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
