package dev.golemsandbox.inet;

import com.sun.net.httpserver.HttpServer;
import dev.golemsandbox.activity.OutboundAccess;
import dev.golemsandbox.activity.OutboundGrant;
import dev.golemsandbox.exeunit.ExeUnit;
import dev.golemsandbox.exeunit.OutputListener;
import dev.golemsandbox.exeunit.ProcessResult;
import dev.golemsandbox.exeunit.QemuVmRuntime;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.RunSpec;
import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A figure of outbound access, not a test: busybox wget in a real VM fetching a file from a local
 * HTTP server through eth1 and the gateway, to /dev/null, timed inside the guest.
 *
 * <pre>
 * simulator/bench/inet-figures.sh [MiB, default 100]
 * </pre>
 */
public final class OutboundBench {

    private OutboundBench() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        byte[] chunk = new byte[1 << 20];
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, (long) mib << 20);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < mib; i++) {
                    out.write(chunk);
                }
            }
        });
        server.start();
        Path temp = Files.createTempDirectory("inet-bench");
        int port = server.getAddress().getPort();
        try (OutboundGateway gateway = new OutboundGateway(); QemuVmRuntime runtime = TestRuntime.create()) {
            Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.VOLUMES_CONFIG);
            ExeUnit unit = runtime.newExeUnit(image, new Resources(1, 256, 256), Files.createDirectories(temp.resolve("vm")));
            unit.deploy();
            OutboundAccess.Link link = gateway.open(new OutboundGrant(false, List.of(URI.create("http://127.0.0.1:" + port + "/"))), "bench");
            unit.connectOutbound(link.inetInterface());
            unit.start();
            // busybox's date has no sub-second format: the guest's uptime clock, in hundredths
            String line = "s=$(cut -d' ' -f1 /proc/uptime); wget -q -O /dev/null http://10.42.42.1:" + port + "/"
                    + " && e=$(cut -d' ' -f1 /proc/uptime) && echo \"$s $e\"";
            for (int round = 1; round <= 2; round++) {
                long started = System.nanoTime();
                ProcessResult result = unit.run(RunSpec.shell(line), OutputListener.NONE).result().get(10, TimeUnit.MINUTES);
                double wall = (System.nanoTime() - started) / 1e9;
                String out = new String(result.stdout(), StandardCharsets.UTF_8).trim();
                if (result.exitCode() != 0) {
                    throw new IllegalStateException("wget failed: " + out + new String(result.stderr(), StandardCharsets.UTF_8));
                }
                String[] times = out.split(" ");
                double seconds = Double.parseDouble(times[1]) - Double.parseDouble(times[0]);
                System.out.printf("round %d: %d MiB in %.1f s (guest clock; %.1f s on the host, command start included): %.1f MB/s%n",
                        round, mib, seconds, wall, mib * 1.048576 / seconds);
            }
        } finally {
            server.stop(0);
        }
    }
}
