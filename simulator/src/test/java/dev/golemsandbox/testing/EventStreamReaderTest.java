package dev.golemsandbox.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The test helper itself: a clean end of the stream and a dropped connection must look different. */
class EventStreamReaderTest {

    private static final String EVENT = "event: runtime\ndata: {\"n\":1}\nid: 0\n\n";

    @Test
    void aResponseThatEndsProperlyIsTheEnd() throws Exception {
        try (OneResponse server = new OneResponse(true);
             EventStreamReader stream = new EventStreamReader(HttpClient.newHttpClient(), server.uri())) {
            assertThat(stream.nextEvent().data().get("n").asInt()).isEqualTo(1);
            assertThat(stream.next().end()).isTrue();
        }
    }

    @Test
    void aConnectionDroppedMidResponseFailsInsteadOfEnding() throws Exception {
        try (OneResponse server = new OneResponse(false);
             EventStreamReader stream = new EventStreamReader(HttpClient.newHttpClient(), server.uri())) {
            assertThat(stream.nextEvent().data().get("n").asInt()).isEqualTo(1);
            assertThatThrownBy(stream::next)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("the event stream broke instead of ending")
                    .hasCauseInstanceOf(IOException.class);
        }
    }

    /** Answers one request with a chunked event stream holding one event, finished or cut off. */
    private static final class OneResponse implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final CompletableFuture<Void> served;

        OneResponse(boolean finish) throws IOException {
            served = CompletableFuture.runAsync(() -> {
                try (Socket client = socket.accept()) {
                    BufferedReader request = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                    for (String line = request.readLine(); line != null && !line.isEmpty(); line = request.readLine()) {
                        // the request's headers: nothing to do with them
                    }
                    OutputStream out = client.getOutputStream();
                    byte[] event = EVENT.getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(event);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    if (finish) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/stream");
        }

        @Override
        public void close() throws Exception {
            socket.close();
            served.get(10, TimeUnit.SECONDS);
        }
    }
}
