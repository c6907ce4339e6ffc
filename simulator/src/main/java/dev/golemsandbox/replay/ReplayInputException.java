package dev.golemsandbox.replay;

/** A replay that cannot start because what the script needs beside it is missing or damaged. */
public final class ReplayInputException extends RuntimeException {
    public ReplayInputException(String message) {
        super(message);
    }
}
