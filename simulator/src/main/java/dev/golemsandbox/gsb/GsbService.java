package dev.golemsandbox.gsb;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A GSB service the requestor bound: an address such as {@code /public/gftp/<uuid>}, the
 * components it answers, and the WebSocket it answers on once connected. The socket may connect
 * after the provider needs it; {@link #connection} waits for it. Thread-safe.
 *
 * <pre>{@code
 * GsbService service = services.bind("/public/gftp/" + uuid, List.of("GetMetadata", "GetChunk"));
 * }</pre>
 *
 * @see GsbServices
 */
public final class GsbService {

    private final String id;
    private final String address;
    private final List<String> components;
    private GsbConnection connection;
    private CompletableFuture<GsbConnection> connected = new CompletableFuture<>();
    private String unboundBecause;

    GsbService(String id, String address, List<String> components) {
        this.id = id;
        this.address = address;
        this.components = List.copyOf(components);
    }

    /** The id the requestor uses in {@code /gsb-api/v1/services/{id}}. */
    public String id() {
        return id;
    }

    /** The GSB address, e.g. {@code /public/gftp/<uuid>}. */
    public String address() {
        return address;
    }

    public List<String> components() {
        return components;
    }

    synchronized void attach(GsbConnection socket) {
        if (unboundBecause != null) {
            socket.close(unboundBecause);
            return;
        }
        if (connection != null) {
            connection.close("a newer WebSocket connected to " + address);
        }
        connection = socket;
        if (!connected.complete(socket)) {
            connected = CompletableFuture.completedFuture(socket);
        }
    }

    synchronized void detach(GsbConnection socket) {
        if (connection == socket) {
            connection = null;
            connected = new CompletableFuture<>();
        }
    }

    /** Closes the socket and fails whoever waits for one. */
    void unbind(String why) {
        GsbConnection socket;
        CompletableFuture<GsbConnection> waiting;
        synchronized (this) {
            unboundBecause = why;
            socket = connection;
            connection = null;
            waiting = connected;
        }
        waiting.completeExceptionally(new IOException(why));
        if (socket != null) {
            socket.close(why);
        }
    }

    /**
     * The connected WebSocket, waiting up to {@code wait} for the requestor to open it.
     *
     * @throws IOException if it does not connect in time or the service is unbound meanwhile
     */
    GsbConnection connection(Duration wait) throws IOException, InterruptedException {
        CompletableFuture<GsbConnection> future;
        synchronized (this) {
            if (unboundBecause != null) {
                throw new IOException(unboundBecause);
            }
            future = connected;
        }
        try {
            return future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the requestor bound " + address + " but did not open its WebSocket"
                    + " (/gsb-api/v1/services/" + id + ") within " + wait.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }
}
