package dev.golemsandbox.agent;

import java.io.IOException;

/**
 * The guest sent something the protocol does not allow: a field over its cap, a reply nobody
 * asked for, an unknown message type, a flood of notices for processes it never started. The
 * guest is untrusted (root in the VM can write to the agent's port), so the connection ends and
 * the VM is killed; the message says what was wrong, for the activity's termination reason.
 */
public final class ProtocolViolation extends IOException {

    public ProtocolViolation(String message) {
        super(message);
    }
}
