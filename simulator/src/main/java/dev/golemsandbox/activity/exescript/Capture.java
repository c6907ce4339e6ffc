package dev.golemsandbox.activity.exescript;


/**
 * What to keep of one output stream of a {@code run} command, as its {@code capture} field says:
 * nothing (the default, as on a provider), everything, its head, its tail, or both ends, and
 * whether to stream it as it arrives.
 *
 * @param stream    send each captured piece as a runtime event while the command runs
 * @param binary    render the output as a byte array instead of a string
 * @param headBytes how many bytes to keep from the start ({@link #UNLIMITED} for all)
 * @param tailBytes how many bytes to keep from the end
 */
public record Capture(boolean stream, boolean binary, long headBytes, long tailBytes) {

    /** "As much as there is" for {@link #headBytes}; the sandbox still caps what it keeps of a stream. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    /** No {@code capture} for this stream: the output is dropped, as a provider drops it. */
    public static final Capture DISCARD = new Capture(false, false, 0, 0);

    /** Output of commands other than {@code run} (deploy, start, transfer): all of it, streamed. */
    public static final Capture ALL_STREAMED = new Capture(true, false, UNLIMITED, 0);

    public Capture {
        if (headBytes < 0 || tailBytes < 0) {
            throw new IllegalArgumentException("capture sizes must not be negative");
        }
    }

    /** {@code {"atEnd":{...}}} keeping everything. */
    public static Capture atEnd(boolean binary) {
        return new Capture(false, binary, UNLIMITED, 0);
    }

    /** {@code {"atEnd":{"head":n}}}. */
    public static Capture head(long bytes, boolean binary) {
        return new Capture(false, binary, bytes, 0);
    }

    /** {@code {"atEnd":{"tail":n}}}. */
    public static Capture tail(long bytes, boolean binary) {
        return new Capture(false, binary, 0, bytes);
    }

    /** {@code {"atEnd":{"headTail":n}}}: the first half (rounded up) and the last half. */
    public static Capture headTail(long bytes, boolean binary) {
        long head = (bytes + 1) / 2;
        return new Capture(false, binary, head, bytes - head);
    }

    /** {@code {"stream":{"limit":n}}}, or without a limit when {@code limit} is null. */
    public static Capture stream(Long limit, boolean binary) {
        return new Capture(true, binary, limit == null ? UNLIMITED : limit, 0);
    }
}
