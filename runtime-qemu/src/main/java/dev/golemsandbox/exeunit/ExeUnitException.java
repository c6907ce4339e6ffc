package dev.golemsandbox.exeunit;

/**
 * A failure of an exe-unit call, with a message fit for the requestor. The subclasses let the
 * activity API pick the answer: a caller's mistake (wrong state, bad path) or a failure of the
 * image or the VM.
 */
public class ExeUnitException extends Exception {

    public ExeUnitException(String message) {
        super(message);
    }

    public ExeUnitException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The call is not legal in the exe-unit's current state. */
    public static final class IllegalState extends ExeUnitException {
        public IllegalState(String message) {
            super(message);
        }
    }

    /** A {@code container:} path outside every volume, or one that tries to leave its volume. */
    public static final class PathNotFound extends ExeUnitException {
        public PathNotFound(String containerPath) {
            super("path not found in container: " + containerPath);
        }
    }

    /** The image cannot be deployed (not a GVMI, bad CRC, ...). */
    public static final class InvalidImage extends ExeUnitException {
        public InvalidImage(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The VM is gone: it crashed, was killed, or was stopped while the call was pending. */
    public static final class VmGone extends ExeUnitException {
        public VmGone(String message) {
            super(message);
        }
    }

    /** The runtime cannot do what was asked (a VPN on a runtime without one). */
    public static final class Unsupported extends ExeUnitException {
        public Unsupported(String message) {
            super(message);
        }
    }
}
