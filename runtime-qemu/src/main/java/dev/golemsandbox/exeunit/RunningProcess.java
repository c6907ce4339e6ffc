package dev.golemsandbox.exeunit;

import java.util.concurrent.CompletableFuture;

/** A process started by {@link ExeUnit#run}. */
public interface RunningProcess {

    /** The process id in the guest. */
    long pid();

    /**
     * Completes when the process ends, or exceptionally with an {@link ExeUnitException} as soon
     * as the VM dies or is stopped.
     */
    CompletableFuture<ProcessResult> result();

    /** Sends {@code signal} (e.g. 9 for SIGKILL) to the process. A process already gone is not an error. */
    void kill(int signal) throws ExeUnitException;
}
