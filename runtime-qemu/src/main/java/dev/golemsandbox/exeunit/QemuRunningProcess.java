package dev.golemsandbox.exeunit;

import dev.golemsandbox.agent.AgentException;
import dev.golemsandbox.agent.GuestAgent;
import dev.golemsandbox.agent.ProcessExit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process in a guest, seen from the host: drains its output when the agent announces some
 * (querying until the guest's buffer is empty), hands each chunk to the listener and the capture,
 * and completes once the process died and both streams are drained: a query that returns less
 * than it asked for emptied the guest's buffer, so each announcement costs one query, and a
 * death notice needs none when no query is under way.
 */
final class QemuRunningProcess implements RunningProcess {

    /** Bytes asked for per QUERY_OUTPUT. */
    private static final long QUERY_BYTES = 1 << 20;
    private static final int ESRCH = 3;

    private final long pid;
    private final GuestAgent agent;
    private final OutputListener listener;
    private final OutputCapture[] captures;
    private final CompletableFuture<ProcessResult> result = new CompletableFuture<>();
    /** Per stream (index fd - 1): a query in flight, another wanted after it, drained since death. */
    private final boolean[] querying = new boolean[2];
    private final boolean[] queryAgain = new boolean[2];
    private final boolean[] drainedAfterDeath = new boolean[2];
    private ProcessExit exit;

    QemuRunningProcess(long pid, GuestAgent agent, OutputListener listener, long outputCap) {
        this.pid = pid;
        this.agent = agent;
        this.listener = listener;
        // A listener consumes the output; only without one is it kept for the result.
        long kept = listener == OutputListener.NONE ? outputCap : 0;
        this.captures = new OutputCapture[] {new OutputCapture(kept), new OutputCapture(kept)};
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public CompletableFuture<ProcessResult> result() {
        return result;
    }

    @Override
    public void kill(int signal) throws ExeUnitException {
        if (result.isDone()) {
            return;
        }
        try {
            agent.kill(pid, signal).get(GuestAgent.DEFAULT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AgentException.Closed closed) {
                throw new ExeUnitException.VmGone(closed.getMessage());
            }
            if (!(e.getCause() instanceof AgentException refused && refused.errno() == ESRCH)) {
                throw new ExeUnitException("cannot kill process " + pid + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new ExeUnitException("the guest did not confirm the kill of process " + pid + " in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExeUnitException("interrupted while killing process " + pid);
        }
    }

    void outputAvailable(int fd) {
        if (fd == 1 || fd == 2) {
            drain(fd - 1);
        }
    }

    void died(ProcessExit processExit) {
        synchronized (this) {
            exit = processExit;
            for (int stream = 0; stream < 2; stream++) {
                // Every announcement of output comes before the death notice, and each was followed
                // by queries until one emptied the stream: with none under way, nothing is left.
                if (!querying[stream]) {
                    drainedAfterDeath[stream] = true;
                }
            }
        }
        completeIfDone();
    }

    void fail(ExeUnitException cause) {
        result.completeExceptionally(cause);
    }

    private void drain(int stream) {
        boolean afterDeath;
        synchronized (this) {
            if (querying[stream]) {
                queryAgain[stream] = true;
                return;
            }
            querying[stream] = true;
            afterDeath = exit != null;
        }
        agent.queryOutput(pid, stream + 1, QUERY_BYTES).whenComplete((chunk, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof AgentException.Closed) {
                    return;
                }
                // The guest forgot the process (ESRCH): nothing more will come on this stream.
                chunk = new byte[0];
            }
            if (chunk.length > 0) {
                captures[stream].append(chunk);
                if (stream == 0) {
                    listener.stdout(chunk);
                } else {
                    listener.stderr(chunk);
                }
            }
            boolean again;
            // Less than asked for means the query emptied the guest's buffer: the agent announces
            // the next output itself, and after the death there is no next output.
            boolean emptied = chunk.length < QUERY_BYTES;
            synchronized (this) {
                querying[stream] = false;
                again = !emptied || queryAgain[stream];
                queryAgain[stream] = false;
                if (emptied && afterDeath) {
                    drainedAfterDeath[stream] = true;
                }
                if (!again && exit != null && !drainedAfterDeath[stream]) {
                    again = true;
                }
            }
            if (again) {
                drain(stream);
            } else {
                completeIfDone();
            }
        });
    }

    private void completeIfDone() {
        ProcessExit done;
        synchronized (this) {
            if (exit == null || !drainedAfterDeath[0] || !drainedAfterDeath[1]) {
                return;
            }
            done = exit;
        }
        result.complete(new ProcessResult(done.exitCode(), done.signal(),
                captures[0].bytes(), captures[1].bytes(), captures[0].truncated(), captures[1].truncated()));
    }
}
