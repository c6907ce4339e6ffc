package dev.golemsandbox.agent;

import java.io.IOException;

/** A request the guest agent refused (with the guest's errno and, when it sent one, its reason). */
public class AgentException extends IOException {

    private final int errno;

    public AgentException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The guest's errno, or 0 when the failure is not the guest's answer (a deadline, a lost connection). */
    public int errno() {
        return errno;
    }

    /** The connection to the agent is gone: the VM stopped, crashed or was killed. */
    public static final class Closed extends AgentException {
        public Closed(String message) {
            super(message, 0);
        }
    }

    /** The agent did not answer within the request's deadline. */
    public static final class Timeout extends AgentException {
        public Timeout(String message) {
            super(message, 0);
        }
    }
}
