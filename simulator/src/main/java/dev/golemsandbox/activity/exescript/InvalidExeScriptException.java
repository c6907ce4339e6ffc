package dev.golemsandbox.activity.exescript;

/** An ExeScript the sandbox refuses before running any of it; the message says which command and why. */
public final class InvalidExeScriptException extends RuntimeException {

    public InvalidExeScriptException(String message) {
        super(message);
    }
}
