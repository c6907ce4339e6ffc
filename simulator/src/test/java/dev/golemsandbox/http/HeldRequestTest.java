package dev.golemsandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.testing.Await;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long-polls held by a real Jetty, asked for over a raw socket: one answered, one whose exchange
 * Jetty ends (the sandbox stopping while a requestor polls) before its event comes.
 */
class HeldRequestTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final EventQueue<String> queue = new EventQueue<>(timer);
    private final List<HeldRequest> held = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> answers = new CopyOnWriteArrayList<>();
    private Javalin server;

    @BeforeEach
    void start() {
        server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            ApiErrorMapping.install(cfg.routes);
            cfg.routes.get("/events", ctx -> ctx.future(() -> {
                HeldRequest request = HeldRequest.of(ctx);
                held.add(request);
                CompletableFuture<Void> answer = request.answer(queue.take(10, Duration.ofSeconds(30), request), events -> Json.ok(ctx, events));
                answers.add(answer);
                return answer;
            }));
        }).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.stop();
        timer.shutdownNow();
    }

    @Test
    void aPollEndedByTheServerStoppingWritesNothingAndLeavesItsEvent() throws Exception {
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            request(client);
            awaitHeld(1);
            server.stop();
            awaitAbandoned(held.get(0));

            queue.offer("proposal-1");

            assertThat(queue.take(10, Duration.ZERO).join()).as("the event, still queued").containsExactly("proposal-1");
            assertThat(answers.get(0)).as("Javalin's future: left pending, never written or failed").isNotDone();
        }
    }

    @Test
    void aPollWhoseClientStaysIsAnsweredWithTheEvent() throws Exception {
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            request(client);
            awaitHeld(1);
            queue.offer("proposal-1");
            InputStream in = client.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("[\"proposal-1\"]");
        }
        assertThat(held.get(0).abandoned()).isFalse();
    }

    private static void request(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private void awaitHeld(int count) {
        Await.until("the server holds " + count + " poll(s)", () -> held.size() >= count);
        assertThat(held).as("polls held by the server").hasSize(count);
    }

    private static void awaitAbandoned(HeldRequest request) {
        Await.until("the server heard that the exchange ended", request::abandoned);
    }
}
