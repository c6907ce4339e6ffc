package dev.golemsandbox.activity;

import dev.golemsandbox.activity.exescript.ExeCommand;
import dev.golemsandbox.activity.transfer.TransferFaults;
import dev.golemsandbox.exeunit.ExeUnitException;
import dev.golemsandbox.exeunit.RunningProcess;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one batch's commands in order on a thread of its own, recording each in the
 * {@link Batch}; the first failing command ends it. {@link #abort} stops it from any thread
 * (terminate, destroy): the running process is killed, a waiting transfer interrupted, and the
 * command that was cut short, or the next one, reports why.
 */
final class BatchExecution implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchExecution.class);
    private static final int SIGKILL = 9;

    private final ProviderActivity activity;
    private final Batch batch;
    private final CommandRunner runner;
    private final ActivityFaults faults;

    private Thread thread;
    private RunningProcess process;
    private String abortReason;
    /** Whether the disk is full for the command running now (the disk-full fault). */
    private volatile boolean diskFull;

    BatchExecution(ProviderActivity activity, Batch batch, CommandRunner runner, ActivityFaults faults) {
        this.activity = activity;
        this.batch = batch;
        this.runner = runner;
        this.faults = faults;
    }

    @Override
    public void run() {
        synchronized (this) {
            thread = Thread.currentThread();
        }
        try {
            for (int index = 0; index < batch.script().size(); index++) {
                batch.started(index);
                int returnCode = 0;
                String message = null;
                try {
                    String stopped = abortReason();
                    if (stopped != null) {
                        throw new CommandFailedException(stopped);
                    }
                    injectFaultsBefore(index);
                    runner.run(activity, batch, index, this);
                    if (batch.script().command(index) instanceof ExeCommand.Start) {
                        faults.crashAfterStart(provider(), activity.id()).ifPresent(after -> CompletableFuture.runAsync(
                                () -> activity.crashVm("the VM crashed " + after.toSeconds() + " s after start (injected fault crash-vm)"),
                                CompletableFuture.delayedExecutor(after.toMillis(), TimeUnit.MILLISECONDS)));
                    }
                } catch (CommandFailedException e) {
                    returnCode = e.returnCode();
                    message = abortReason() != null ? abortReason() : e.getMessage();
                } catch (InterruptedException e) {
                    returnCode = CommandFailedException.NO_EXIT_CODE;
                    message = abortReason() != null ? abortReason() : "the command was interrupted";
                } catch (RuntimeException e) {
                    LOG.error("Command {} of batch {} failed unexpectedly", index, batch.id(), e);
                    returnCode = CommandFailedException.NO_EXIT_CODE;
                    message = "the sandbox failed to run this command: " + e;
                }
                batch.finished(index, returnCode, message);
                if (returnCode != 0) {
                    break;
                }
            }
        } finally {
            synchronized (this) {
                thread = null;
                Thread.interrupted();
            }
            activity.batchEnded(this);
        }
    }

    /** Slows the command down, fills or unfills the VM's disk, or crashes the VM as it begins, when a fault says so. */
    private void injectFaultsBefore(int index) throws InterruptedException, CommandFailedException {
        String command = batch.script().command(index).name();
        Duration delay = faults.delayBefore(provider(), activity.id(), index, command);
        if (!delay.isZero()) {
            Thread.sleep(delay.toMillis());
        }
        diskFull = faults.diskFull(provider(), activity.id());
        activity.diskFull(diskFull);
        if (faults.crashesAt(provider(), activity.id(), index, command)) {
            String why = "the VM crashed at command " + index + " (" + command + ") (injected fault crash-vm)";
            activity.crashVm(why);
            throw new CommandFailedException(why);
        }
    }

    /** The failures injected into the current command's transfer. */
    TransferFaults transferFaults() {
        return new TransferFaults(() -> faults.transferBreaksAfter(provider(), activity.id()), diskFull);
    }

    private String provider() {
        return activity.agreement().providerName();
    }

    /** Stops the batch: kills its process, interrupts its waits; the rest of it does not run. */
    void abort(String why) {
        RunningProcess toKill;
        synchronized (this) {
            if (abortReason != null) {
                return;
            }
            abortReason = why;
            toKill = process;
            if (thread != null) {
                thread.interrupt();
            }
        }
        if (toKill != null) {
            try {
                toKill.kill(SIGKILL);
            } catch (ExeUnitException e) {
                LOG.debug("Process of batch {} was already gone: {}", batch.id(), e.getMessage());
            }
        }
    }

    synchronized String abortReason() {
        return abortReason;
    }

    /** The process the current {@code run} command started (null when it ends), so abort can kill it. */
    synchronized void running(RunningProcess current) {
        process = current;
    }
}
