package dev.golemsandbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.testing.TestRuntime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole sandbox as a web page on the user's machine meets it: the page can reach 127.0.0.1
 * but must not learn the key, push images, or talk to it under a rebound host name.
 */
class HttpTrustBoundaryTest {

    @TempDir
    static Path dataDir;

    static Sandbox sandbox;
    static int port;

    @BeforeAll
    static void start() throws IOException {
        sandbox = Sandbox.start(SandboxConfig.defaults(TestRuntime.home(dataDir)).withPort(0), line -> { });
        port = URI.create(sandbox.baseUrl()).getPort();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void aRegistryPushWithoutTheKeyIsRefusedAndStoresNothing() throws IOException {
        int before = sandbox.images().list().size();

        String answer = send("POST /v1/image/push?tag=evil/image:1 HTTP/1.1", "Host: 127.0.0.1:" + port, "Content-Length: 4",
                "Content-Type: application/octet-stream", "", "hsqs");

        assertThat(answer).startsWith("HTTP/1.1 401");
        assertThat(sandbox.images().list()).hasSize(before);
    }

    @Test
    void dnsRebindingAnyApiUnderAForeignHostNameIs421EvenWithTheKey() throws IOException {
        for (String path : new String[] {"/_sandbox/info", "/me", "/v1/image/info?tag=golem/alpine:latest", "/market-api/v1/demands",
                "/_sandbox/dashboard"}) {
            String answer = send("GET " + path + " HTTP/1.1", "Host: rebound.attacker.example:" + port,
                    "Authorization: Bearer " + sandbox.appKey(), "", "");
            assertThat(answer).as(path).startsWith("HTTP/1.1 421");
        }
    }

    @Test
    void aForeignPageCannotCreateADemandEvenWithTheKey() throws IOException {
        String body = "{\"properties\":{},\"constraints\":\"(golem.runtime.name=vm)\"}";
        String answer = send("POST /market-api/v1/demands HTTP/1.1", "Host: 127.0.0.1:" + port, "Origin: https://evil.example",
                "Authorization: Bearer " + sandbox.appKey(), "Content-Type: application/json",
                "Content-Length: " + body.length(), "", body);

        assertThat(answer).startsWith("HTTP/1.1 403");
        assertThat(sandbox.server().market().demands()).isEmpty();
    }

    @Test
    void theDashboardPageNeedsNoKeyButEverythingItShowsDoes() throws IOException {
        String page = send("GET /_sandbox/dashboard HTTP/1.1", "Host: 127.0.0.1:" + port, "", "");
        assertThat(page).startsWith("HTTP/1.1 200").contains("<title>golem-sandbox dashboard</title>")
                .containsIgnoringCase("Content-Security-Policy: default-src 'none'; script-src 'self'")
                .containsIgnoringCase("frame-ancestors 'none'");

        for (String path : new String[] {"/_sandbox/activities", "/_sandbox/activities/x/batches", "/_sandbox/recordings",
                "/_sandbox/recordings/a.json", "/_sandbox/market/providers", "/payment-api/v1/invoices"}) {
            assertThat(send("GET " + path + " HTTP/1.1", "Host: 127.0.0.1:" + port, "", "")).as(path).startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void theDashboardServesOnlyItsOwnFiles() throws IOException {
        for (String path : new String[] {"/_sandbox/dashboard/appkey", "/_sandbox/dashboard/..%2f..%2fappkey",
                "/_sandbox/dashboard/DashboardPage.class", "/_sandbox/dashboard/%2e%2e%2fsandbox.json"}) {
            String answer = send("GET " + path + " HTTP/1.1", "Host: 127.0.0.1:" + port, "", "");
            assertThat(answer).as(path).startsWith("HTTP/1.1 404").doesNotContain(sandbox.appKey());
        }
    }

    @Test
    void aRecordingDownloadServesOnlyRecordingNamesEvenWithTheKey() throws IOException {
        for (String path : new String[] {"/_sandbox/recordings/..%2fappkey", "/_sandbox/recordings/..%2f..%2fappkey.json",
                "/_sandbox/recordings/.hidden.json", "/_sandbox/recordings/appkey"}) {
            String answer = send("GET " + path + " HTTP/1.1", "Host: 127.0.0.1:" + port,
                    "Authorization: Bearer " + sandbox.appKey(), "", "");
            assertThat(answer).as(path).matches("(?s)HTTP/1.1 40[04].*").contains("\"message\"")
                    .doesNotContain("\r\n\r\n" + sandbox.appKey());
        }
    }

    @Test
    void theKeyIsInNoUnauthenticatedAnswer() throws IOException {
        for (String path : new String[] {"/_sandbox/info", "/_sandbox/health", "/_sandbox/ready", "/version/get",
                "/_sandbox/activities", "/_sandbox/recordings", "/v1/image/info?tag=golem/alpine:latest",
                "/_sandbox/dashboard", "/_sandbox/dashboard/dashboard.js"}) {
            String answer = send("GET " + path + " HTTP/1.1", "Host: 127.0.0.1:" + port, "", "");
            assertThat(answer).as(path).doesNotContain(sandbox.appKey());
        }
    }

    /** A raw request, so Host and Origin are exactly what a browser under attack sends; the lines end with CRLF. */
    private static String send(String requestLine, String... rest) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            StringBuilder request = new StringBuilder(requestLine).append("\r\nConnection: close\r\n");
            for (int i = 0; i < rest.length - 1; i++) {
                request.append(rest[i]).append("\r\n");
            }
            request.append(rest[rest.length - 1]);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            StringBuilder answer = new StringBuilder();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                answer.append(line).append('\n');
            }
            return answer.toString();
        }
    }
}
