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
 */
public final class EventStreamReader implements AutoCloseable {

    /** One item of the stream: an event, a comment, or the end. */
    public record Item(String event, JsonNode data, String id, String comment, boolean end) {
    }

    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final Stream<String> lines;
    private final String contentType;

    public EventStreamReader(HttpClient client, URI uri) {
        HttpResponse<Stream<String>> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
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

    /** The next item, waiting up to 10 s. */
    public Item next() throws InterruptedException {
        Item item = items.poll(10, TimeUnit.SECONDS);
        if (item == null) {
            throw new AssertionError("no event-stream item within 10 s");
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
                    items.add(new Item(null, null, null, line, false));
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.isEmpty() && event != null) {
                    items.add(new Item(event, Http.json(data), id, null, false));
                    event = null;
                    data = null;
                    id = null;
                }
            }
        } catch (UncheckedIOException closed) {
            // the test closed the stream
        }
        items.add(new Item(null, null, null, null, true));
    }

    @Override
    public void close() {
        lines.close();
    }
}
