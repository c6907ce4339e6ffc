package dev.golemsandbox.exeunit;

/**
 * How a process ended and what it printed.
 *
 * @param exitCode  the exit status; for a process killed by a signal, 128 + the signal
 * @param signal    the signal that killed it, or 0 if it exited
 * @param stdout    all of stdout up to the capture cap, then a truncation marker line if cut
 * @param stderr    the same for stderr
 * @param stdoutTruncated whether stdout exceeded the cap
 * @param stderrTruncated whether stderr exceeded the cap
 */
public record ProcessResult(int exitCode, int signal, byte[] stdout, byte[] stderr,
                            boolean stdoutTruncated, boolean stderrTruncated) {

    public boolean succeeded() {
        return exitCode == 0;
    }
}
