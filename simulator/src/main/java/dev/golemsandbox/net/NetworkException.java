package dev.golemsandbox.net;

/** A Net API request the network store refuses; the API turns each kind into yagna's status. */
public abstract class NetworkException extends RuntimeException {

    private NetworkException(String message) {
        super(message, null, false, false);
    }

    /** No network with that id. */
    public static final class UnknownNetwork extends NetworkException {
        UnknownNetwork(String message) {
            super(message);
        }
    }

    /** An address outside the network's range, or otherwise unusable. */
    public static final class OutOfRange extends NetworkException {
        OutOfRange(String message) {
            super(message);
        }
    }

    /** An address or network id that is already in use (or no room left). */
    public static final class Taken extends NetworkException {
        Taken(String message) {
            super(message);
        }
    }
}
