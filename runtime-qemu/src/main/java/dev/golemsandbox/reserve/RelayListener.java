package dev.golemsandbox.reserve;

import dev.golemsandbox.agent.AgentException;
import dev.golemsandbox.agent.AgentListener;
import dev.golemsandbox.agent.ProcessExit;

/**
 * The agent listener of a reserved VM: its agent is attached at boot, before anyone knows which
 * exe-unit will take it, so notifications go nowhere until {@link #handTo} names the exe-unit.
 * The end of the connection is remembered and passed on at the hand-over, so it is never lost.
 */
final class RelayListener implements AgentListener {

    private final Runnable onClosedInReserve;
    private AgentListener target;
    private AgentException.Closed closed;

    RelayListener(Runnable onClosedInReserve) {
        this.onClosedInReserve = onClosedInReserve;
    }

    /** From now on notifications go to {@code listener} (a connection already gone is reported at once). */
    void handTo(AgentListener listener) {
        AgentException.Closed gone;
        synchronized (this) {
            target = listener;
            gone = closed;
        }
        if (gone != null) {
            listener.closed(gone);
        }
    }

    private synchronized AgentListener target() {
        return target;
    }

    @Override
    public void outputAvailable(long pid, int fd) {
        AgentListener listener = target();
        if (listener != null) {
            listener.outputAvailable(pid, fd);
        }
    }

    @Override
    public void processDied(ProcessExit exit) {
        AgentListener listener = target();
        if (listener != null) {
            listener.processDied(exit);
        }
    }

    @Override
    public void closed(AgentException.Closed cause) {
        AgentListener listener;
        synchronized (this) {
            closed = cause;
            listener = target;
        }
        if (listener != null) {
            listener.closed(cause);
        } else {
            onClosedInReserve.run();
        }
    }
}
