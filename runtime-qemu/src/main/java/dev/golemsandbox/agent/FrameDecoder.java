package dev.golemsandbox.agent;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the guest agent's replies and notifications (see {@code PROTOCOL.md}) from the host end
 * of its port, trusting nothing: root in the VM can write any bytes there. Every field has a cap
 * checked before anything is allocated, a reply must answer a request the host made (once, with a
 * reply type that request can get, and output no longer than it asked for), notifications must
 * name a process the host started, and nothing read is kept without a bound. Anything else is a
 * {@link ProtocolViolation} naming what was wrong.
 *
 * <pre>{@code
 * FrameDecoder decoder = new FrameDecoder(channel);
 * decoder.expect(id, WireMessage.QUERY_OUTPUT, 1 << 20);   // before the request is written
 * GuestFrame frame = decoder.next();                       // on the one reader thread
 * }</pre>
 *
 * {@link #expect} may be called from any thread; {@link #next} from one thread at a time.
 */
final class FrameDecoder {

    /** Longest text the guest may send (a refusal's reason, the hello). */
    static final int MAX_TEXT_BYTES = 4096;
    /** Longest output reply when a query asks for "everything buffered" (the guest holds 4 MiB a stream). */
    static final int MAX_OUTPUT_BYTES = 8 << 20;
    /** Requests that may wait for their reply at once; more means the guest stopped answering. */
    static final int MAX_UNANSWERED = 4096;
    /** Notifications for processes the host did not start (or already saw die) tolerated and dropped. */
    static final int MAX_STRAY_NOTIFICATIONS = 4096;

    private static final int RESP_OK = 0;
    private static final int RESP_OK_U64 = 1;
    private static final int RESP_OK_BYTES = 2;
    private static final int RESP_ERR = 3;
    private static final int NOTIFY_OUTPUT_AVAILABLE = 4;
    private static final int NOTIFY_PROCESS_DIED = 5;
    private static final int NOTIFY_READY = 11;
    private static final int RESP_ERR_TEXT = 12;
    /** Linux's pid_max limit: no guest pid is larger. */
    private static final long MAX_PID = 1 << 22;

    private final ReadableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private final Map<Long, Expected> unanswered = new ConcurrentHashMap<>();
    /** Pids the guest returned for RUN_PROCESS and has not reported dead; touched by the reader only. */
    private final Set<Long> livePids = new HashSet<>();
    private int strayNotifications;

    /** What request {@code id} may be answered with: its type, and for output the most bytes asked. */
    private record Expected(int requestType, long maxBytes) {
    }

    FrameDecoder(ReadableByteChannel channel) {
        this.channel = channel;
        buffer.flip();
    }

    /**
     * Records that request {@code id} of {@code requestType} is about to be sent, so its reply is
     * accepted; {@code maxBytes} bounds a QUERY_OUTPUT's reply (0: everything, up to
     * {@link #MAX_OUTPUT_BYTES}). Call before writing the request.
     *
     * @throws ProtocolViolation when {@link #MAX_UNANSWERED} requests already wait for a reply
     */
    void expect(long id, int requestType, long maxBytes) throws ProtocolViolation {
        if (unanswered.size() >= MAX_UNANSWERED) {
            throw new ProtocolViolation("the guest left " + MAX_UNANSWERED + " requests unanswered");
        }
        long cap = maxBytes <= 0 || maxBytes > MAX_OUTPUT_BYTES ? MAX_OUTPUT_BYTES : maxBytes;
        unanswered.put(id, new Expected(requestType, cap));
    }

    /**
     * The next reply or notification the host should act on. Notifications for processes the host
     * did not start are dropped (up to {@link #MAX_STRAY_NOTIFICATIONS}).
     *
     * @throws EOFException when the connection ends (the VM stopped)
     * @throws ProtocolViolation when the guest sent something the protocol does not allow
     */
    GuestFrame next() throws IOException {
        for (;;) {
            long id = u64();
            int type = u8();
            GuestFrame frame = id == 0 ? notification(type) : reply(id, type);
            if (frame != null) {
                return frame;
            }
        }
    }

    private GuestFrame notification(int type) throws IOException {
        switch (type) {
            case NOTIFY_OUTPUT_AVAILABLE -> {
                long pid = u64();
                long fd = u32();
                if (fd != 1 && fd != 2) {
                    throw new ProtocolViolation("output announced on stream " + fd + " (only 1 and 2 exist)");
                }
                return started(pid, "output") ? new GuestFrame.OutputAvailable(pid, (int) fd) : null;
            }
            case NOTIFY_PROCESS_DIED -> {
                long pid = u64();
                int status = u8();
                int kind = u8();
                if (kind > 2) {
                    throw new ProtocolViolation("process " + Long.toUnsignedString(pid) + " ended in an unknown way (" + kind + ")");
                }
                if (!started(pid, "the death")) {
                    return null;
                }
                livePids.remove(pid);
                return new GuestFrame.ProcessDied(new ProcessExit(pid, status, kind));
            }
            case NOTIFY_READY -> {
                return new GuestFrame.Ready(text("the hello"));
            }
            default -> throw new ProtocolViolation("unknown notification type " + type);
        }
    }

    /** Whether {@code pid} is a live process the host started; counts the notices that are not. */
    private boolean started(long pid, String what) throws ProtocolViolation {
        if (livePids.contains(pid)) {
            return true;
        }
        if (++strayNotifications > MAX_STRAY_NOTIFICATIONS) {
            throw new ProtocolViolation("more than " + MAX_STRAY_NOTIFICATIONS + " notifications for processes the host"
                    + " did not start (the last: " + what + " of process " + Long.toUnsignedString(pid) + ")");
        }
        return false;
    }

    private GuestFrame reply(long id, int type) throws IOException {
        Expected expected = unanswered.remove(id);
        String request = "request " + Long.toUnsignedString(id);
        if (expected == null) {
            throw new ProtocolViolation("a reply to " + request + ", which awaits none (never sent or already answered)");
        }
        String answered = request + " (" + WireMessage.typeName(expected.requestType()) + ")";
        switch (type) {
            case RESP_ERR -> {
                return new GuestFrame.Refusal(id, (int) u32(), null);
            }
            case RESP_ERR_TEXT -> {
                int errno = (int) u32();
                return new GuestFrame.Refusal(id, errno, text("the reason of the refusal of " + answered));
            }
            case RESP_OK -> {
                if (expected.requestType() == WireMessage.RUN_PROCESS || expected.requestType() == WireMessage.QUERY_OUTPUT) {
                    throw new ProtocolViolation("a bare OK for " + answered + ", which needs a value");
                }
                return new GuestFrame.Reply(id, Boolean.TRUE);
            }
            case RESP_OK_U64 -> {
                if (expected.requestType() != WireMessage.RUN_PROCESS) {
                    throw new ProtocolViolation("a number for " + answered + ", which gets none");
                }
                long pid = u64();
                if (pid <= 0 || pid > MAX_PID) {
                    throw new ProtocolViolation("pid " + Long.toUnsignedString(pid) + " for " + answered + " is not a Linux pid");
                }
                livePids.add(pid);
                return new GuestFrame.Reply(id, pid);
            }
            case RESP_OK_BYTES -> {
                if (expected.requestType() != WireMessage.QUERY_OUTPUT) {
                    throw new ProtocolViolation("bytes for " + answered + ", which gets none");
                }
                return new GuestFrame.Reply(id, bytes(expected.maxBytes(), "output for " + answered));
            }
            default -> throw new ProtocolViolation("unknown reply type " + type + " for " + answered);
        }
    }

    private String text(String what) throws IOException {
        return new String(bytes(MAX_TEXT_BYTES, what), StandardCharsets.UTF_8);
    }

    /**
     * A BYTES field of at most {@code cap} bytes. The length is checked before anything is
     * allocated, and the array grows only as the bytes really arrive, so a claim costs nothing.
     */
    private byte[] bytes(long cap, String what) throws IOException {
        long length = u64();
        if (length < 0 || length > cap) {
            throw new ProtocolViolation(what + " claims " + Long.toUnsignedString(length) + " bytes, more than the "
                    + cap + " allowed");
        }
        byte[] out = new byte[(int) Math.min(length, buffer.capacity())];
        int filled = 0;
        while (filled < length) {
            if (filled == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(length, 2L * out.length));
            }
            if (!buffer.hasRemaining()) {
                buffer.clear();
                int read = channel.read(buffer);
                buffer.flip();
                if (read < 0) {
                    throw new EOFException();
                }
            }
            int take = Math.min(buffer.remaining(), out.length - filled);
            buffer.get(out, filled, take);
            filled += take;
        }
        return out;
    }

    private void need(int n) throws IOException {
        if (buffer.remaining() >= n) {
            return;
        }
        buffer.compact();
        while (buffer.position() < n) {
            if (channel.read(buffer) < 0) {
                throw new EOFException();
            }
        }
        buffer.flip();
    }

    private int u8() throws IOException {
        need(1);
        return Byte.toUnsignedInt(buffer.get());
    }

    private long u32() throws IOException {
        need(4);
        return Integer.toUnsignedLong(buffer.getInt());
    }

    private long u64() throws IOException {
        need(8);
        return buffer.getLong();
    }
}
