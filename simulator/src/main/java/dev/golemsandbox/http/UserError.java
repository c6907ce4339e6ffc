package dev.golemsandbox.http;

/**
 * A problem the user can fix: printed as one line (plus an optional hint), never as a stack
 * trace, and mapped to an exit code.
 */
public final class UserError extends RuntimeException {

    /** Exit code for bad input: a missing file, a wrong argument, a corrupt image. */
    public static final int BAD_INPUT = 2;
    /** Exit code when something the command needs is missing or unreachable (QEMU, Docker, a port). */
    public static final int UNAVAILABLE = 3;

    private final int exitCode;
    private final String hint;

    public UserError(String message) {
        this(BAD_INPUT, message, null);
    }

    public UserError(int exitCode, String message, String hint) {
        super(message);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    public int exitCode() {
        return exitCode;
    }

    /** What to do about it, or null. */
    public String hint() {
        return hint;
    }
}
