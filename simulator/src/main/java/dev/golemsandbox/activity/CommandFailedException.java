package dev.golemsandbox.activity;

/**
 * A command of a batch failed: its result is Error with this message, and the batch ends.
 * The return code goes into the {@code finished} runtime event.
 */
final class CommandFailedException extends Exception {

    /** The return code of a command that failed without a process exit code, as providers report it. */
    static final int NO_EXIT_CODE = -1;

    private final int returnCode;

    CommandFailedException(String message) {
        this(NO_EXIT_CODE, message);
    }

    CommandFailedException(int returnCode, String message) {
        super(message);
        this.returnCode = returnCode;
    }

    int returnCode() {
        return returnCode;
    }
}
