package dev.golemsandbox.market;

import dev.golemsandbox.http.Json;
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
 * A scan's offers as Server-Sent Events, the way yagna streams them to golem-js's EventSource:
 * one {@code offer} event per offer, the matching ones that exist first, then new ones, the
 * response open until the client closes it (or the scan ends). A {@code :ping} comment after each
 * quiet interval, which EventSource ignores, finds out when the client has gone. Holds no request
 * thread while it waits.
 */
final class ScanEventStream {

    private final OfferStream offers;
    private final Duration pingInterval;
    private final Executor writer;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private OutputStream out;

    /** @param writer where the writes happen (never the thread that completed a wait) */
    ScanEventStream(OfferStream offers, Duration pingInterval, Executor writer) {
        this.offers = offers;
        this.pingInterval = pingInterval;
        this.writer = writer;
    }

    /** Starts streaming into the response of {@code ctx}. */
    void serve(Context ctx) {
        HttpServletResponse response = ctx.res();
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        ctx.future(() -> ended);
        try {
            out = response.getOutputStream();
            response.flushBuffer();
        } catch (IOException clientGone) {
            end();
            return;
        }
        waitForOffers();
    }

    private void waitForOffers() {
        offers.next(pingInterval).whenCompleteAsync((list, scanEnded) -> {
            if (scanEnded != null) {
                end();
            } else {
                write(list);
            }
        }, writer);
    }

    private void write(List<OfferView> list) {
        try {
            if (list.isEmpty()) {
                out.write(":ping\n\n".getBytes(StandardCharsets.UTF_8));
            }
            for (OfferView offer : list) {
                out.write("event: offer\ndata: ".getBytes(StandardCharsets.UTF_8));
                out.write(Json.bytes(offer));
                out.write("\n\n".getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        } catch (IOException clientGone) {
            end();
            return;
        }
        waitForOffers();
    }

    private void end() {
        offers.close();
        ended.complete(null);
    }
}
