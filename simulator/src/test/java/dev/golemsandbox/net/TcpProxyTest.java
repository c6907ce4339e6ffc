package dev.golemsandbox.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.activity.VpnJoiner;
import dev.golemsandbox.activity.exescript.ExeCommand;
import dev.golemsandbox.exeunit.ExeUnit;
import dev.golemsandbox.exeunit.OutputListener;
import dev.golemsandbox.exeunit.ProcessResult;
import dev.golemsandbox.exeunit.QemuVmRuntime;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.RunSpec;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.identity.NodeId;
import dev.golemsandbox.sandbox.SandboxClient;
import dev.golemsandbox.sandbox.SandboxConfig;
import dev.golemsandbox.sandbox.SandboxServer;
import dev.golemsandbox.sandbox.VmlessRuntime;
import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP proxy WebSocket into a real VM: busybox httpd in the VM serves a 6 MiB file through it
 * intact, several connections run at once, the guest sees the requestor's address as the peer,
 * and every bad connect is an HTTP error instead of the upgrade.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class TcpProxyTest {

    private static final String PROVIDER = NodeId.derive("proxy-provider");

    @TempDir
    static Path temp;

    static QemuVmRuntime runtime;
    static FrameRouter router;
    static SandboxServer server;
    static SandboxClient api;
    static ExeUnit vm;
    static VpnJoiner.Membership membership;
    static String networkId;
    static String fileSha256;

    @BeforeAll
    static void bootAVmServingAFile() throws Exception {
        SandboxServer.Builder builder = SandboxServer.builder(SandboxConfig.defaults(new SandboxHome(temp.resolve("home"))).withPort(0));
        router = new FrameRouter(builder.networks());
        String key = builder.appKey();
        server = builder.runtimes(spec -> new VmlessRuntime())
                .component(new TcpProxyApi(builder.networks(), router, key::equals)).start();
        api = new SandboxClient(server.baseUrl(), server.appKey());
        JsonNode net = api.post("/net-api/v1/net", Map.of("ip", "192.168.9.0", "mask", "255.255.255.0")).json();
        networkId = net.get("id").asText();
        assertThat(api.post("/net-api/v1/net/" + networkId + "/nodes", Map.of("id", server.requestorId(), "ip", "192.168.9.1")).status()).isEqualTo(200);
        assertThat(api.post("/net-api/v1/net/" + networkId + "/nodes", Map.of("id", PROVIDER, "ip", "192.168.9.2")).status()).isEqualTo(200);

        runtime = TestRuntime.create();
        Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.VOLUMES_CONFIG);
        vm = runtime.newExeUnit(image, new Resources(1, 256, 256), Files.createDirectories(temp.resolve("vm")));
        vm.deploy();
        membership = router.join(new ExeCommand.Deploy.Network(networkId, "192.168.9.0", "255.255.255.0", "192.168.9.1",
                "192.168.9.2", Map.of()), PROVIDER, Map.of());
        vm.joinNetwork(membership.vpnInterface());
        vm.start();
        ProcessResult served = sh("mkdir -p /www && dd if=/dev/urandom of=/www/big bs=1M count=6 2>/dev/null"
                + " && echo small-file > /www/small && httpd -p 8080 -h /www && sha256sum /www/big");
        assertThat(served.exitCode()).as(text(served.stderr())).isZero();
        fileSha256 = text(served.stdout()).split(" ")[0];
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (membership != null) {
            membership.close();
        }
        if (server != null) {
            server.close();
        }
        if (router != null) {
            router.close();
        }
    }

    private static ProcessResult sh(String line) throws Exception {
        return vm.run(RunSpec.shell(line), OutputListener.NONE).result().get(3, TimeUnit.MINUTES);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String proxyUrl(String ip, int port) {
        return server.baseUrl().replace("http://", "ws://") + "/net-api/v1/net/" + networkId + "/tcp/" + ip + "/" + port;
    }

    /** A WebSocket client that collects what arrives until the server closes. */
    private static final class Collector implements WebSocket.Listener {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public synchronized CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            received.writeBytes(bytes);
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    private static WebSocket open(String url, Collector collector) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + server.appKey())
                .buildAsync(URI.create(url), collector).get(30, TimeUnit.SECONDS);
    }

    private static byte[] httpGet(String path) throws Exception {
        Collector collector = new Collector();
        WebSocket ws = open(proxyUrl("192.168.9.2", 8080), collector);
        ws.sendBinary(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: vm\r\n\r\n").getBytes(StandardCharsets.US_ASCII)), true)
                .get(10, TimeUnit.SECONDS);
        assertThat(collector.closed.get(3, TimeUnit.MINUTES)).as("the server's close reaches the WebSocket").isEqualTo(1000);
        byte[] response = collector.received.toByteArray();
        String head = new String(response, 0, Math.min(response.length, 400), StandardCharsets.ISO_8859_1);
        assertThat(head).startsWith("HTTP/1.");
        int bodyStart = head.indexOf("\r\n\r\n") + 4;
        return java.util.Arrays.copyOfRange(response, bodyStart, response.length);
    }

    @Test
    void aSixMebibyteFileComesThroughTheProxyIntact() throws Exception {
        long start = System.nanoTime();
        byte[] body = httpGet("/big");
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("TCP proxy: %d bytes in %.2f s = %.2f MB/s%n", body.length, seconds, body.length / seconds / 1e6);
        assertThat(body).hasSize(6 << 20);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body))).isEqualTo(fileSha256);
    }

    @Test
    void severalConnectionsRunAtOnce() throws Exception {
        List<CompletableFuture<byte[]>> fetches = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            fetches.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return httpGet("/small");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<byte[]> fetch : fetches) {
            assertThat(text(fetch.get(3, TimeUnit.MINUTES))).isEqualTo("small-file\n");
        }
    }

    @Test
    void theGuestSeesTheRequestorsAddressAndBytesAndACloseFromTheClient() throws Exception {
        // stdin held open: nc ends only when the connection does
        vm.run(RunSpec.shell("sleep 120 | nc -l -p 9000 > /tmp/in"), OutputListener.NONE);
        Collector collector = new Collector();
        WebSocket ws = null;
        for (int attempt = 0; ws == null; attempt++) {
            try {
                ws = open(proxyUrl("192.168.9.2", 9000), collector);
            } catch (ExecutionException e) {
                if (attempt > 20) {
                    throw e;
                }
                Thread.sleep(500); // nc may not listen yet
            }
        }
        String netstat = text(sh("netstat -tn").stdout());
        assertThat(netstat).containsPattern("192\\.168\\.9\\.2:9000 +(::ffff:)?192\\.168\\.9\\.1:\\d+ +ESTABLISHED");
        ws.sendBinary(ByteBuffer.wrap("through-the-proxy".getBytes(StandardCharsets.UTF_8)), true).get(10, TimeUnit.SECONDS);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        ProcessResult ended = sh("for i in $(seq 100); do pidof nc >/dev/null || break; sleep 0.2; done;"
                + " if pidof nc >/dev/null; then echo nc still runs; exit 1; fi; cat /tmp/in");
        assertThat(ended.exitCode()).as("the client's close ends the guest's side: " + text(ended.stdout())).isZero();
        assertThat(text(ended.stdout())).isEqualTo("through-the-proxy");
    }

    @Test
    void aBadConnectIsAnHttpErrorInsteadOfTheUpgrade() {
        assertThat(handshakeStatus(proxyUrl("192.168.9.2", 8081), true)).as("closed port").isEqualTo(400);
        assertThat(handshakeStatus(proxyUrl("192.168.9.7", 8080), true)).as("no such node").isEqualTo(404);
        assertThat(handshakeStatus(proxyUrl("192.168.9.2", 8080).replace(networkId, "nope"), true)).as("no such network").isEqualTo(404);
        assertThat(handshakeStatus(proxyUrl("192.168.9.2", 70000), true)).as("no such port").isEqualTo(400);
        assertThat(handshakeStatus(proxyUrl("192.168.9.2", 8080), false)).as("no key").isEqualTo(401);
        assertThat(handshakeStatus(proxyUrl("192.168.9.2", 8080) + "?authToken=" + server.appKey(), false)).as("key as query").isEqualTo(101);
    }

    @Test
    void aNodeThatDoesNotAnswerIsAGatewayTimeout() {
        assertThat(api.post("/net-api/v1/net/" + networkId + "/nodes", Map.of("id", NodeId.derive("absent"), "ip", "192.168.9.3")).status()).isEqualTo(200);
        assertThat(handshakeStatus(proxyUrl("192.168.9.3", 80), true)).isEqualTo(504);
    }

    private static int handshakeStatus(String url, boolean withKey) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (withKey) {
            builder.header("Authorization", "Bearer " + server.appKey());
        }
        try {
            WebSocket ws = builder.buildAsync(URI.create(url), new Collector()).get(60, TimeUnit.SECONDS);
            ws.abort();
            return 101;
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
