package dev.golemsandbox.activity;

/** An ExeScript the sandbox refuses before running any of it; the message says which command and why. */
final class InvalidExeScriptException extends RuntimeException {

    public InvalidExeScriptException(String message) {
        super(message);
    }
}
