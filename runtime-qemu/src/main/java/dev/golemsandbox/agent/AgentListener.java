package dev.golemsandbox.agent;

/**
 * Receives the agent's notifications. Called on the agent's reader thread, in the order the guest
 * sent them: implementations must not block.
 */
public interface AgentListener {

    /** A listener for callers that only make requests (probes, benchmarks). */
    AgentListener IGNORE = new AgentListener() {
        @Override
        public void outputAvailable(long pid, int fd) {
        }

        @Override
        public void processDied(ProcessExit exit) {
        }

        @Override
        public void closed(AgentException.Closed cause) {
        }
    };

    /** Output of {@code pid} on {@code fd} (1 or 2) waits to be queried. */
    void outputAvailable(long pid, int fd);

    /** {@code pid} ended and its output streams are complete in the guest. */
    void processDied(ProcessExit exit);

    /** The connection is gone; every pending request has already failed with {@code cause}. */
    void closed(AgentException.Closed cause);
}
