package dev.golemsandbox.agent;

/**
 * How a guest process ended, as NOTIFY_PROCESS_DIED reports it.
 *
 * @param pid    the process id in the guest
 * @param status the exit status, or the signal number when killed
 * @param kind   0 exited, 1 killed by a signal, 2 killed and dumped core
 */
public record ProcessExit(long pid, int status, int kind) {

    public boolean exited() {
        return kind == 0;
    }

    /** The shell's convention: the exit status, or 128 + the signal. */
    public int exitCode() {
        return exited() ? status : 128 + status;
    }

    /** The signal that ended it, or 0. */
    public int signal() {
        return exited() ? 0 : status;
    }
}
