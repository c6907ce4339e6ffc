package dev.golemsandbox.image;

/**
 * An image could not be turned into a GVMI file: a bad or unsafe source, a missing tool, a failed
 * Docker build. The message is one line fit to show a user as is.
 */
public class ImageConversionException extends Exception {

    public ImageConversionException(String message) {
        super(message);
    }

    public ImageConversionException(String message, Throwable cause) {
        super(message, cause);
    }
}
