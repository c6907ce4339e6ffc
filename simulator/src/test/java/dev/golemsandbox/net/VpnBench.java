package dev.golemsandbox.net;

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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figures of the VPN, not a test: ping round trip between two VMs, TCP throughput VM to VM and
 * through the TCP proxy, and the proxy's connect latency (WebSocket open, TCP handshake included).
 *
 * <pre>
 * simulator/bench/vpn-figures.sh [MiB per transfer]
 * </pre>
 */
public final class VpnBench {

    private VpnBench() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        Path temp = Files.createTempDirectory("vpn-bench");
        QemuVmRuntime runtime = TestRuntime.create();
        SandboxServer.Builder builder = SandboxServer.builder(SandboxConfig.defaults(new SandboxHome(temp.resolve("home"))).withPort(0));
        FrameRouter router = new FrameRouter(builder.networks());
        String key = builder.appKey();
        SandboxServer server = builder.runtimes(spec -> new VmlessRuntime())
                .component(new TcpProxyApi(builder.networks(), router, key::equals)).start();
        List<VpnJoiner.Membership> memberships = new ArrayList<>();
        try {
            SandboxClient api = new SandboxClient(server.baseUrl(), server.appKey());
            JsonNode net = api.post("/net-api/v1/net", Map.of("ip", "192.168.7.0/24")).json();
            String id = net.get("id").asText();
            String a = NodeId.derive("bench-a");
            String b = NodeId.derive("bench-b");
            api.post("/net-api/v1/net/" + id + "/nodes", Map.of("id", server.requestorId(), "ip", "192.168.7.1"));
            api.post("/net-api/v1/net/" + id + "/nodes", Map.of("id", a, "ip", "192.168.7.2"));
            api.post("/net-api/v1/net/" + id + "/nodes", Map.of("id", b, "ip", "192.168.7.3"));
            Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.VOLUMES_CONFIG);
            ExeUnit first = boot(runtime, router, image, temp.resolve("a"), id, a, "192.168.7.2", memberships);
            ExeUnit second = boot(runtime, router, image, temp.resolve("b"), id, b, "192.168.7.3", memberships);

            String ping = out(sh(first, "ping -c 20 -i 0.2 192.168.7.3 | tail -1"));
            System.out.println("ping VM to VM (20 x 56 bytes): " + ping.trim());

            sh(second, "mkdir -p /www && dd if=/dev/zero of=/www/big bs=1M count=" + mib + " 2>/dev/null && httpd -p 8080 -h /www");
            long start = System.nanoTime();
            String count = out(sh(first, "wget -q -O - http://192.168.7.3:8080/big | wc -c")).trim();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("TCP VM to VM (busybox httpd to wget): %s bytes in %.2f s = %.2f MB/s%n", count, seconds,
                    Long.parseLong(count) / seconds / 1e6);
            String url = server.baseUrl().replace("http://", "ws://") + "/net-api/v1/net/" + id + "/tcp/192.168.7.3/8080";
            HttpClient http = HttpClient.newHttpClient();
            int opens = 20;
            long connectNanos = 0;
            for (int i = 0; i < opens; i++) {
                long t = System.nanoTime();
                WebSocket ws = http.newWebSocketBuilder().header("Authorization", "Bearer " + key)
                        .buildAsync(URI.create(url), new WebSocket.Listener() { }).get(30, TimeUnit.SECONDS);
                connectNanos += System.nanoTime() - t;
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            }
            System.out.printf("TCP proxy connect (WebSocket open incl. TCP handshake to the VM): %.1f ms average of %d%n",
                    connectNanos / 1e6 / opens, opens);

            AtomicLong received = new AtomicLong();
            CompletableFuture<Void> closed = new CompletableFuture<>();
            start = System.nanoTime();
            WebSocket ws = http.newWebSocketBuilder().header("Authorization", "Bearer " + key).buildAsync(URI.create(url),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
                            received.addAndGet(data.remaining());
                            socket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
                            closed.complete(null);
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);
            ws.sendBinary(ByteBuffer.wrap("GET /big HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), true);
            closed.get(5, TimeUnit.MINUTES);
            seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("TCP proxy, VM to requestor: %d bytes in %.2f s = %.2f MB/s%n", received.get(), seconds,
                    received.get() / seconds / 1e6);
        } finally {
            runtime.close();
            memberships.forEach(VpnJoiner.Membership::close);
            server.close();
            router.close();
        }
    }

    private static ExeUnit boot(QemuVmRuntime runtime, FrameRouter router, Path image, Path dir, String networkId,
                                String nodeId, String ip, List<VpnJoiner.Membership> memberships) throws Exception {
        ExeUnit unit = runtime.newExeUnit(image, new Resources(1, 256, 256), Files.createDirectories(dir));
        unit.deploy();
        VpnJoiner.Membership membership = router.join(new ExeCommand.Deploy.Network(networkId, "192.168.7.0",
                "255.255.255.0", "192.168.7.1", ip, Map.of()), nodeId, Map.of());
        memberships.add(membership);
        unit.joinNetwork(membership.vpnInterface());
        unit.start();
        return unit;
    }

    private static ProcessResult sh(ExeUnit unit, String line) throws Exception {
        return unit.run(RunSpec.shell(line), OutputListener.NONE).result().get(5, TimeUnit.MINUTES);
    }

    private static String out(ProcessResult result) {
        return new String(result.stdout(), StandardCharsets.UTF_8);
    }
}
