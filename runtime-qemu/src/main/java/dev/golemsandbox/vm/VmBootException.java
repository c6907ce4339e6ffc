package dev.golemsandbox.vm;

import java.io.IOException;

/** A VM that did not come up: the message says what failed and where the console log is. */
public final class VmBootException extends IOException {

    public VmBootException(String message, Throwable cause) {
        super(message, cause);
    }
}
