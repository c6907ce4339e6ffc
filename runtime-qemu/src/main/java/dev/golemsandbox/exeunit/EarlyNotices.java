package dev.golemsandbox.exeunit;

import dev.golemsandbox.agent.ProcessExit;

/**
 * What the agent said about a process before {@link QemuExeUnit#run} registered it: which
 * streams have output and whether it died. Flags, not a list: repeats cost nothing.
 */
final class EarlyNotices {

    private final boolean[] output = new boolean[2];
    private ProcessExit exit;

    synchronized void output(int fd) {
        output[fd - 1] = true;
    }

    synchronized void died(ProcessExit processExit) {
        exit = processExit;
    }

    /** Hands the notices to the process in the order the agent sends them: output, then death. */
    void replayTo(QemuRunningProcess process) {
        boolean[] streams;
        ProcessExit death;
        synchronized (this) {
            streams = output.clone();
            death = exit;
        }
        for (int fd = 1; fd <= 2; fd++) {
            if (streams[fd - 1]) {
                process.outputAvailable(fd);
            }
        }
        if (death != null) {
            process.died(death);
        }
    }
}
