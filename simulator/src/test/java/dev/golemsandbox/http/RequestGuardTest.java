package dev.golemsandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a web page can and cannot do to a sandbox on 127.0.0.1: requests are sent over a raw
 * socket so that Host and Origin are exactly what a browser under attack would send.
 */
class RequestGuardTest {

    private Javalin server;

    @BeforeEach
    void start() {
        server = Javalin.create(cfg -> {
            RequestGuard guard = new RequestGuard(Set.of("sandbox.internal"), Set.of("http://localhost:3000"));
            cfg.routes.before(guard);
            cfg.routes.wsBeforeUpgrade(guard);
            cfg.routes.ws("/socket", ws -> ws.onConnect(c -> c.send("hello")));
            ApiErrorMapping.install(cfg.routes);
            cfg.routes.get("/thing", ctx -> ctx.result("read"));
            cfg.routes.post("/thing", ctx -> ctx.result("changed"));
        }).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void dnsRebindingAForeignHostNameIsRefusedWith421() throws IOException {
        Answer answer = send("GET /thing", "Host: attacker.example:" + server.port());

        assertThat(answer.status()).isEqualTo(421);
        assertThat(answer.body()).contains("does not answer for the host name 'attacker.example'");
    }

    @Test
    void loopbackNamesIpLiteralsAndAllowedNamesAreServed() throws IOException {
        for (String host : List.of("127.0.0.1:" + server.port(), "localhost:" + server.port(), "[::1]:" + server.port(),
                "10.0.0.7", "sandbox.internal:7465")) {
            assertThat(send("GET /thing", "Host: " + host).status()).as(host).isEqualTo(200);
        }
        assertThat(send("GET /thing", "Host: ").status()).as("no host (Jetty refuses it first)").isIn(400, 421);
    }

    @Test
    void aForeignPageCannotChangeAnythingButMayNotReadEither() throws IOException {
        Answer post = send("POST /thing", "Host: 127.0.0.1:" + server.port(), "Origin: https://evil.example", "Content-Length: 0");
        assertThat(post.status()).isEqualTo(403);
        assertThat(post.body()).contains("golem-sandbox up --cors https://evil.example");

        Answer get = send("GET /thing", "Host: 127.0.0.1:" + server.port(), "Origin: https://evil.example");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.headers()).as("no CORS header: the page cannot read the answer")
                .noneMatch(h -> h.toLowerCase().startsWith("access-control-allow-origin"));
    }

    @Test
    void aForeignPageCannotOpenAWebSocket() throws IOException {
        Answer upgrade = send("GET /socket", "Host: 127.0.0.1:" + server.port(), "Origin: https://evil.example",
                "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
        assertThat(upgrade.status()).isEqualTo(403);
        Answer own = send("GET /socket", "Host: 127.0.0.1:" + server.port(), "Origin: http://127.0.0.1:" + server.port(),
                "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
        assertThat(own.status()).as("the same upgrade from the sandbox's own page").isEqualTo(101);
    }

    @Test
    void theSandboxsOwnPagesAndAllowedOriginsMayCallIt() throws IOException {
        String self = "127.0.0.1:" + server.port();
        assertThat(send("POST /thing", "Host: " + self, "Origin: http://" + self, "Content-Length: 0").status()).isEqualTo(200);

        Answer preflight = send("OPTIONS /thing", "Host: " + self, "Origin: http://localhost:3000",
                "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: authorization");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.headers()).contains("Access-Control-Allow-Origin: http://localhost:3000");
        Answer allowed = send("POST /thing", "Host: " + self, "Origin: http://localhost:3000", "Content-Length: 0");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.headers()).contains("Access-Control-Allow-Origin: http://localhost:3000");
    }

    private record Answer(int status, List<String> headers, String body) {
    }

    private Answer send(String requestLine, String... headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            StringBuilder request = new StringBuilder(requestLine).append(" HTTP/1.1\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            List<String> answerHeaders = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                answerHeaders.add(line);
            }
            int code = Integer.parseInt(status.split(" ")[1]);
            StringBuilder body = new StringBuilder();
            while (code != 101 && (line = in.readLine()) != null) {
                body.append(line).append('\n');
            }
            return new Answer(code, answerHeaders, body.toString());
        }
    }
}
