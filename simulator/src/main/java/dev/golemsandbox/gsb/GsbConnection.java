package dev.golemsandbox.gsb;

import com.google.flatbuffers.FlexBuffersBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requestor's WebSocket of one bound GSB service: the sandbox sends it requests and matches
 * the replies to them by id. Once closed, every pending and later call fails with the reason.
 * Thread-safe.
 */
final class GsbConnection {

    private static final Logger LOG = LoggerFactory.getLogger(GsbConnection.class);

    private final Session session;
    private final String address;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, CompletableFuture<GsbFrames.Reply>> pending = new ConcurrentHashMap<>();
    private volatile String closedBecause;

    GsbConnection(Session session, String address) {
        this.session = session;
        this.address = address;
    }

    /**
     * Sends a request to the service's {@code component} and returns its reply; the
     * future fails with an {@link IOException} when the requestor answers with an error or the
     * socket closes first.
     */
    CompletableFuture<GsbFrames.Reply> call(String component, int sizeHint, Consumer<FlexBuffersBuilder> payload) {
        CompletableFuture<GsbFrames.Reply> reply = new CompletableFuture<>();
        String closed = closedBecause;
        if (closed != null) {
            reply.completeExceptionally(new IOException(closed));
            return reply;
        }
        String id = Long.toString(ids.incrementAndGet());
        ByteBuffer frame = GsbFrames.request(id, component, sizeHint, payload);
        pending.put(id, reply);
        reply.whenComplete((answer, error) -> pending.remove(id));
        session.sendBinary(frame, Callback.from(() -> { }, error -> reply.completeExceptionally(
                new IOException("could not send " + component + " to the requestor's " + address + ": "
                        + error.getMessage(), error))));
        if (closedBecause != null) {
            reply.completeExceptionally(new IOException(closedBecause));
        }
        return reply;
    }

    /** A frame from the requestor: the reply to one of our requests. */
    void received(ByteBuffer frame) {
        GsbFrames.Reply reply;
        try {
            reply = GsbFrames.reply(frame);
        } catch (RuntimeException e) {
            LOG.warn("Ignoring a frame on {} that is not a GSB reply: {}", address, e.getMessage());
            return;
        }
        CompletableFuture<GsbFrames.Reply> waiting = pending.get(reply.id());
        if (waiting == null) {
            LOG.warn("Ignoring a GSB reply on {} to unknown request {}", address, reply.id());
        } else if (reply.error() != null) {
            waiting.completeExceptionally(new IOException("the requestor's " + address + " answered with an error: "
                    + reply.error()));
        } else {
            waiting.complete(reply);
        }
    }

    /** The socket is gone (or is being closed): fails every pending call with {@code why}. */
    void closed(String why) {
        closedBecause = why;
        for (CompletableFuture<GsbFrames.Reply> waiting : pending.values()) {
            waiting.completeExceptionally(new IOException(why));
        }
    }

    /** Closes the socket, e.g. when the service is unbound. */
    void close(String why) {
        closed(why);
        if (session.isOpen()) {
            session.close(1000, "service unbound", Callback.NOOP);
        }
    }
}
