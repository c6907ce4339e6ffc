package dev.golemsandbox.inet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.golemsandbox.activity.OutboundGrant;
import dev.golemsandbox.activity.exescript.TransferUrl;
import dev.golemsandbox.activity.transfer.GftpClient;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.testing.ActivityHarness;
import dev.golemsandbox.testing.Await;
import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploy through the activity API on an agreement with an outbound grant, on a real VM: the VM
 * gets eth1 and reaches the granted local server, not the activity API's own port on the same
 * host; destroying the activity closes its link. On a sandbox without a gateway such a deploy
 * fails with the reason.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class OutboundDeployTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @TempDir
    static Path temp;

    static HttpServer server;
    static OutboundGateway gateway;
    static ActivityHarness sandbox;

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "granted".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.VOLUMES_CONFIG);
        sandbox = ActivityHarness.real(Files.createDirectories(temp.resolve("sandbox")), new NoGftp(), TestRuntime.create(),
                Files.readAllBytes(image), new Resources(1, 256, 256));
        gateway = new OutboundGateway();
        sandbox.service.reachOutWith(gateway);
        sandbox.agreements.grantOutbound("agr-1", new OutboundGrant(false,
                List.of(URI.create("http://localhost:" + server.getAddress().getPort() + "/"))));
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void theDeployedVmReachesItsGrantAndNotTheApiAndLosesItsLinkWithTheActivity() {
        String activity = sandbox.ready();
        assertThat(gateway.links()).hasSize(1);
        assertThat(shell(activity, "ls /sys/class/net")).contains("eth1");
        assertThat(shell(activity, "timeout 60 wget -q -O - http://10.42.42.1:" + server.getAddress().getPort() + "/"))
                .isEqualTo("granted");
        String api = shell(activity, "timeout 30 wget -q -O - http://10.42.42.1:" + sandbox.server.port()
                + "/activity-api/v1/activity 2>&1; echo exit=$?");
        assertThat(api).contains("exit=1").doesNotContain("activity-api");
        sandbox.destroyed(activity);
        Await.until("the VM's outbound link is closed", () -> gateway.links().isEmpty());
    }

    @Test
    void withoutAGatewayADeployWithAGrantFailsSayingWhy() throws Exception {
        try (ActivityHarness bare = new ActivityHarness(Files.createDirectories(temp.resolve("bare")), new NoGftp(),
                java.time.Duration.ofMillis(200), config -> { })) {
            bare.agreements.grantOutbound("agr-1", new OutboundGrant(true, List.of()));
            String activity = bare.create();
            JsonNode results = bare.run(activity, "[{\"deploy\":{}}]");
            assertThat(results.get(0).get("result").asText()).isEqualTo("Error");
            assertThat(results.get(0).get("message").asText()).contains("gives no VM outbound access");
        }
    }

    private static String shell(String activity, String line) {
        ObjectNode run = JSON.objectNode();
        ObjectNode spec = run.putObject("run").put("entry_point", "/bin/sh");
        spec.putArray("args").add("-c").add(line);
        ObjectNode capture = spec.putObject("capture");
        capture.putObject("stdout").putObject("atEnd").put("format", "string");
        JsonNode result = sandbox.run(activity, JSON.arrayNode().add(run).toString()).get(0);
        assertThat(result.get("result").asText()).as("%s: %s", line, result).isEqualTo("Ok");
        return result.path("stdout").asText("");
    }

    /** No transfers here. */
    private static final class NoGftp implements GftpClient {
        @Override
        public void fetch(TransferUrl url, FileChannel target, long maxBytes) throws IOException {
            throw new IOException("no gftp in this test");
        }

        @Override
        public void send(FileChannel source, TransferUrl url) throws IOException {
            throw new IOException("no gftp in this test");
        }
    }
}
