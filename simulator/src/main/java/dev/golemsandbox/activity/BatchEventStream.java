package dev.golemsandbox.activity;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A batch's runtime events as Server-Sent Events, the way a provider streams them to
 * {@code runAndStream}: every event from the start of the batch (or after the client's
 * {@code Last-Event-ID}), then new ones as they happen, a {@code :ping} comment after each quiet
 * interval, and the end of the response right after the batch's last {@code finished} event.
 * Holds no request thread while it waits: it writes from the batch's change signal, and a client
 * that goes away ends it.
 */
final class BatchEventStream {

    private final Batch batch;
    private final Duration pingInterval;
    private final Executor writer;
    private final boolean dropAfterFirstEvent;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private OutputStream out;
    private int next;

    /** @param writer where writes after the first happen (never on the thread that changed the batch) */
    /** @param dropAfterFirstEvent cut the connection after the first event, as a stream that breaks mid-batch */
    BatchEventStream(Batch batch, Duration pingInterval, Executor writer, boolean dropAfterFirstEvent) {
        this.batch = batch;
        this.pingInterval = pingInterval;
        this.writer = writer;
        this.dropAfterFirstEvent = dropAfterFirstEvent;
    }

    /** Starts streaming into the response of {@code ctx}; the request ends when the batch or the client does. */
    void serve(Context ctx) {
        HttpServletResponse response = ctx.res();
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        next = firstEvent(ctx.header("Last-Event-ID"));
        ctx.future(() -> ended);
        try {
            out = response.getOutputStream();
            response.flushBuffer();
            pump(true);
        } catch (IOException clientGone) {
            ended.complete(null);
        }
    }

    /** Writes what is new (or a ping after a quiet interval), then waits for the next change. */
    private void pump(boolean changed) {
        try {
            List<RuntimeEvent> events = batch.eventsFrom(next);
            for (RuntimeEvent event : events) {
                out.write(("event: runtime\ndata: " + event.toJson() + "\nid: " + event.sequence() + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                next = event.sequence() + 1;
                if (dropAfterFirstEvent) {
                    out.flush();
                    // Headers are out: failing the response makes the server abort the connection mid-stream.
                    ended.completeExceptionally(new IOException("result stream cut (injected fault drop-stream)"));
                    return;
                }
            }
            if (batch.finished() && batch.eventsFrom(next).isEmpty()) {
                out.flush();
                ended.complete(null);
                return;
            }
            if (!events.isEmpty()) {
                out.flush();
            } else if (!changed) {
                out.write(":ping\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException clientGone) {
            // The requestor closed the stream (e.g. it unsubscribed after the last result): nothing to send to.
            ended.complete(null);
            return;
        }
        batch.whenEventOrEnd(next, pingInterval).thenAcceptAsync(this::pump, writer);
    }

    /** Where to resume: after the last event the client saw when it reconnects, else the start of the batch. */
    private static int firstEvent(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(lastEventId.trim()) + 1);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
