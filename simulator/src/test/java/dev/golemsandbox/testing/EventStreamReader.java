package dev.golemsandbox.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads a Server-Sent Events response as an EventSource would, on a thread of its own: events
 * ({@code event:}, {@code data:}, {@code id:} lines up to a blank line), comments ({@code :ping})
 * and the end of the stream, each handed to the test in order.
 *
 * <p>Only a clean end of the response is an {@link Item#end() end}: when the connection breaks
 * (an I/O error before the server finished) or a line cannot be read, {@link #next()} fails with
 * that error instead, so a test asserting the end cannot pass on a dropped connection.
 */
public final class EventStreamReader implements AutoCloseable {

    /** One item of the stream: an event, a comment, the clean end, or (never handed out) a failure. */
    public record Item(String event, JsonNode data, String id, String comment, boolean end, Throwable failure) {
        static Item event(String event, JsonNode data, String id) {
            return new Item(event, data, id, null, false, null);
        }

        static Item comment(String comment) {
            return new Item(null, null, null, comment, false, null);
        }
    }

    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final Stream<String> lines;
    private final String contentType;
    /** Set by {@link #close()}: an error after it is the test's own doing, not the server's. */
    private volatile boolean closing;

    public EventStreamReader(HttpClient client, URI uri) {
        this(client, uri, null);
    }

    /** Reads a stream that needs the app key, sent as EventSource clients send it ({@code Authorization: Bearer}). */
    public EventStreamReader(HttpClient client, URI uri, String appKey) {
        HttpResponse<Stream<String>> response;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        if (appKey != null) {
            request.header("Authorization", "Bearer " + appKey);
        }
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        contentType = response.headers().firstValue("Content-Type").orElse("");
        lines = response.body();
        reader = new Thread(() -> read(lines), "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public String contentType() {
        return contentType;
    }

    /**
     * The next item, waiting up to 10 s.
     *
     * @throws AssertionError when the stream broke instead of ending (the cause is the error)
     */
    public Item next() throws InterruptedException {
        Item item = items.poll(10, TimeUnit.SECONDS);
        if (item == null) {
            throw new AssertionError("no event-stream item within 10 s");
        }
        if (item.failure() != null) {
            throw new AssertionError("the event stream broke instead of ending: " + item.failure(), item.failure());
        }
        return item;
    }

    /** The next event, skipping comments. */
    public Item nextEvent() throws InterruptedException {
        Item item = next();
        while (item.comment() != null) {
            item = next();
        }
        return item;
    }

    private void read(Stream<String> lines) {
        String event = null;
        String data = null;
        String id = null;
        try (lines) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith(":")) {
                    items.add(Item.comment(line));
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.isEmpty() && event != null) {
                    items.add(Item.event(event, Http.json(data), id));
                    event = null;
                    data = null;
                    id = null;
                }
            }
        } catch (RuntimeException broken) {
            if (!closing) {
                items.add(new Item(null, null, null, null, false, broken instanceof UncheckedIOException io ? io.getCause() : broken));
            }
            return;
        }
        items.add(new Item(null, null, null, null, true, null));
    }

    @Override
    public void close() {
        closing = true;
        lines.close();
    }
}
