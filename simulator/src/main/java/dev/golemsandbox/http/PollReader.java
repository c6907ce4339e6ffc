package dev.golemsandbox.http;

/**
 * The reader of one long-poll, as a source of consumed events sees it when it has events for it:
 * it claims them only if its client still waits, so events are never handed to a client that has
 * gone (they stay first in line for the next reader).
 *
 * <pre>{@code
 * queue.take(maxEvents, timeout, held);   // a HeldRequest is the reader of its poll
 * }</pre>
 */
@FunctionalInterface
public interface PollReader {

    /** A reader whose client cannot go away unnoticed, such as an event stream whose writes fail. */
    PollReader PRESENT = () -> true;

    /**
     * True if the client still waits: the answer is then committed to it. False if it has gone:
     * it must be handed nothing. Once it has answered, it answers the same. Called under the
     * source's lock, so it must not block.
     */
    boolean claim();
}
