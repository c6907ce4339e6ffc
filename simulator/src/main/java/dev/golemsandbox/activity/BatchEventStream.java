package dev.golemsandbox.activity;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A batch's runtime events as Server-Sent Events, the way a provider streams them to
 * {@code runAndStream}: every event from the start of the batch (or after the client's
 * {@code Last-Event-ID}), then new ones as they happen, a {@code :ping} comment after each quiet
 * interval, and the end of the response right after the batch's last {@code finished} event.
 * Holds its request thread for the life of the stream; a client that goes away ends it.
 */
final class BatchEventStream {

    private final Batch batch;
    private final Duration pingInterval;

    BatchEventStream(Batch batch, Duration pingInterval) {
        this.batch = batch;
        this.pingInterval = pingInterval;
    }

    /** Streams into the response of {@code ctx} until the batch ends or the client leaves. */
    void serve(Context ctx) throws InterruptedException {
        HttpServletResponse response = ctx.res();
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        int next = firstEvent(ctx.header("Last-Event-ID"));
        try {
            OutputStream out = response.getOutputStream();
            response.flushBuffer();
            while (true) {
                List<RuntimeEvent> events = batch.eventsFrom(next);
                for (RuntimeEvent event : events) {
                    out.write(("event: runtime\ndata: " + event.toJson() + "\nid: " + event.sequence() + "\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                    next = event.sequence() + 1;
                }
                if (!events.isEmpty()) {
                    out.flush();
                }
                if (batch.finished() && batch.eventsFrom(next).isEmpty()) {
                    return;
                }
                batch.awaitEvent(next, pingInterval.toMillis());
                if (batch.eventsFrom(next).isEmpty() && !batch.finished()) {
                    out.write(":ping\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (IOException clientGone) {
            // The requestor closed the stream (e.g. it unsubscribed after the last result): nothing to send to.
        }
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
