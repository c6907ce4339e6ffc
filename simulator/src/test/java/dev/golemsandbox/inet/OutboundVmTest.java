package dev.golemsandbox.inet;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.golemsandbox.activity.OutboundAccess;
import dev.golemsandbox.activity.OutboundGrant;
import dev.golemsandbox.exeunit.ExeUnit;
import dev.golemsandbox.exeunit.OutputListener;
import dev.golemsandbox.exeunit.ProcessResult;
import dev.golemsandbox.exeunit.QemuVmRuntime;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.RunSpec;
import dev.golemsandbox.net.Ipv4;
import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real VMs: one whose grant names a local HTTP server (by a name and by 127.0.0.1) fetches it
 * through eth1 with busybox wget, by name and at the gateway (which stands for the host's
 * loopback), small and large bodies intact, resolves the granted name and no
 * other at the gateway, and is turned away at once from a local port the grant does not name,
 * which never sees a connection; the other, without a grant, has no eth1 at all.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class OutboundVmTest {

    private static final String BODY = "hello from the host";
    private static final byte[] BIG = new byte[3 << 20];

    @TempDir
    static Path temp;

    static HttpServer server;
    static ServerSocket forbidden;
    static final AtomicInteger forbiddenAccepts = new AtomicInteger();
    static OutboundGateway gateway;
    static QemuVmRuntime runtime;
    static ExeUnit granted;
    static ExeUnit ungranted;
    static OutboundAccess.Link link;

    @BeforeAll
    static void start() throws Exception {
        new Random(42).nextBytes(BIG);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestURI().getPath().equals("/big") ? BIG : BODY.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        forbidden = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!forbidden.isClosed()) {
                try {
                    forbidden.accept().close();
                    forbiddenAccepts.incrementAndGet();
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();

        int port = server.getAddress().getPort();
        gateway = new OutboundGateway(host -> {
            if (host.equals("files.example")) {
                return List.of(Ipv4.parse("127.0.0.1"));
            }
            return OutboundFilter.HostResolver.SYSTEM.resolve(host);
        });
        Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.VOLUMES_CONFIG);
        runtime = TestRuntime.create();
        granted = runtime.newExeUnit(image, new Resources(1, 256, 256), Files.createDirectories(temp.resolve("granted")));
        granted.deploy();
        link = gateway.open(new OutboundGrant(false, List.of(URI.create("http://files.example:" + port + "/"),
                URI.create("http://127.0.0.1:" + port + "/"), URI.create("http://localhost:" + port + "/"))), "granted");
        granted.connectOutbound(link.inetInterface());
        ungranted = runtime.newExeUnit(image, new Resources(1, 256, 256), Files.createDirectories(temp.resolve("ungranted")));
        ungranted.deploy();
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> startUnit(granted));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> startUnit(ungranted));
        CompletableFuture.allOf(first, second).get(5, TimeUnit.MINUTES);
    }

    private static void startUnit(ExeUnit unit) {
        try {
            unit.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (server != null) {
            server.stop(0);
        }
        if (forbidden != null) {
            forbidden.close();
        }
    }

    private static ProcessResult sh(ExeUnit unit, String line) throws Exception {
        return unit.run(RunSpec.shell(line), OutputListener.NONE).result().get(3, TimeUnit.MINUTES);
    }

    private static String out(ProcessResult result) {
        return new String(result.stdout(), StandardCharsets.UTF_8) + new String(result.stderr(), StandardCharsets.UTF_8);
    }

    @Test
    void eth1IsConfiguredAsTheExeUnitDoes() throws Exception {
        ProcessResult result = sh(granted, "ip addr show eth1; ip route; cat /etc/resolv.conf");
        String text = out(result);
        assertThat(result.exitCode()).as(text).isZero();
        assertThat(text).contains("link/ether 90:14:0a:2a:2a:02", "mtu 65521", "inet 10.42.42.2/24",
                "default via 10.42.42.1 dev eth1", "nameserver 10.42.42.1");
    }

    @Test
    void theGrantedServerAnswersByNameAndAtTheGatewayForItsLoopbackAddress() throws Exception {
        int port = server.getAddress().getPort();
        // timeout, not wget's -T, which crashes Debian's static busybox wget
        ProcessResult byName = sh(granted, "timeout 60 wget -q -O - http://files.example:" + port + "/");
        assertThat(byName.exitCode()).as(out(byName)).isZero();
        assertThat(new String(byName.stdout(), StandardCharsets.UTF_8)).isEqualTo(BODY);
        ProcessResult localhost = sh(granted, "timeout 60 wget -q -O - http://localhost:" + port + "/");
        assertThat(localhost.exitCode()).as("the image has no /etc/hosts: localhost is asked of the gateway: " + out(localhost)).isZero();
        assertThat(new String(localhost.stdout(), StandardCharsets.UTF_8)).isEqualTo(BODY);
        ProcessResult byAddress = sh(granted, "timeout 60 wget -q -O - http://10.42.42.1:" + port + "/");
        assertThat(byAddress.exitCode()).as(out(byAddress)).isZero();
        assertThat(new String(byAddress.stdout(), StandardCharsets.UTF_8)).isEqualTo(BODY);
    }

    @Test
    void aLargeBodyArrivesIntact() throws Exception {
        int port = server.getAddress().getPort();
        ProcessResult result = sh(granted, "timeout 120 wget -q -O - http://10.42.42.1:" + port + "/big | sha256sum");
        assertThat(result.exitCode()).as(out(result)).isZero();
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BIG));
        assertThat(out(result)).startsWith(expected);
    }

    @Test
    void aLocalPortTheGrantDoesNotNameIsClosedAtOnceAndNeverReached() throws Exception {
        int port = forbidden.getLocalPort();
        long started = System.nanoTime();
        ProcessResult result = sh(granted, "timeout 30 wget -q -O - http://10.42.42.1:" + port + "/; echo exit=$?");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertThat(out(result)).contains("exit=1");
        assertThat(seconds).as("wget fails fast, not after its 30 s timeout: " + out(result)).isLessThan(15);
        assertThat(forbiddenAccepts.get()).as("the host never connected to the port").isZero();
    }

    @Test
    void dnsAtTheGatewayAnswersTheGrantedNamesOnly() throws Exception {
        ProcessResult known = sh(granted, "nslookup files.example 10.42.42.1");
        assertThat(known.exitCode()).as(out(known)).isZero();
        assertThat(out(known)).contains("10.42.42.1");
        ProcessResult unknown = sh(granted, "nslookup elsewhere.example 10.42.42.1; echo exit=$?");
        assertThat(out(unknown)).contains("NXDOMAIN").doesNotContain("exit=0");
    }

    @Test
    void aVmWithoutAGrantHasNoEth1() throws Exception {
        ProcessResult result = sh(ungranted, "ls /sys/class/net");
        assertThat(result.exitCode()).as(out(result)).isZero();
        assertThat(out(result).lines().toList()).containsExactly("lo");
    }
}
