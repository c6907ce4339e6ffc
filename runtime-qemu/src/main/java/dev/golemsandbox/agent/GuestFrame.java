package dev.golemsandbox.agent;

/**
 * One message from the guest agent, as {@link FrameDecoder} accepted it: a reply to a request the
 * host made, or a notification.
 */
sealed interface GuestFrame {

    /**
     * A successful answer to request {@code id}: {@link Boolean#TRUE} for RESP_OK, a {@link Long}
     * for RESP_OK_U64 (a pid), a {@code byte[]} for RESP_OK_BYTES (output).
     */
    record Reply(long id, Object value) implements GuestFrame {
    }

    /** Request {@code id} was refused with the guest's errno and, when it sent one, its reason. */
    record Refusal(long id, int errno, String reason) implements GuestFrame {
    }

    /** Output of a process the host started waits on {@code fd} (1 or 2). */
    record OutputAvailable(long pid, int fd) implements GuestFrame {
    }

    /** A process the host started ended. */
    record ProcessDied(ProcessExit exit) implements GuestFrame {
    }

    /** The agent serves requests; {@code hello} is "golem-sandbox-agent <version>". */
    record Ready(String hello) implements GuestFrame {
    }
}
