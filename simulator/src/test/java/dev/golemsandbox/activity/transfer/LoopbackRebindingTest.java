package dev.golemsandbox.activity.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A name server that answers loopback when the sandbox checks a name and something else when it
 * connects (DNS rebinding) gets nothing: the name is resolved once and the checked address is the
 * one connected to.
 */
class LoopbackRebindingTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path temp;

    private HttpServer server;
    private final List<String> hostHeaders = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> uploaded = new ConcurrentHashMap<>();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/file", exchange -> {
            hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
            byte[] body = "served on loopback".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, 0); // length 0: a chunked body
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body, 0, 7);
                out.flush();
                out.write(body, 7, body.length - 7);
            }
        });
        server.createContext("/away", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://elsewhere.example/file");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/put", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                uploaded.put(exchange.getRequestURI().getPath(), in.readAllBytes());
            }
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void download(LoopbackHttp http, URI url, Path target, long maxBytes) throws IOException {
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            http.download(url, out, null, maxBytes);
        }
    }

    private URI url(String host, String path) {
        return URI.create("http://" + host + ":" + server.getAddress().getPort() + path);
    }

    @Test
    void aNameThatRebindsAfterTheCheckIsResolvedOnceAndTheCheckedAddressIsUsed() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        LoopbackHttp http = new LoopbackHttp(host -> lookups.getAndIncrement() == 0
                ? new InetAddress[] {LOOPBACK}
                : new InetAddress[] {InetAddress.getByName("203.0.113.7")});
        Path target = temp.resolve("download");

        download(http, url("rebind.example", "/file"), target, Long.MAX_VALUE);

        assertThat(lookups.get()).as("one resolution for the check and the connection").isEqualTo(1);
        assertThat(Files.readString(target)).isEqualTo("served on loopback");
        assertThat(hostHeaders).containsExactly("rebind.example:" + server.getAddress().getPort());
    }

    @Test
    void aNameWithAnyAddressBeyondLoopbackIsRefusedBeforeAnyConnection() throws Exception {
        LoopbackHttp http = new LoopbackHttp(host -> new InetAddress[] {LOOPBACK, InetAddress.getByName("203.0.113.7")});

        assertThatThrownBy(() -> download(http, url("half.example", "/file"), temp.resolve("x"), Long.MAX_VALUE))
                .hasMessageContaining("refusing").hasMessageContaining("only reach loopback hosts");
        assertThat(hostHeaders).isEmpty();
    }

    @Test
    void aRedirectOffLoopbackIsRefusedAndEachHopIsResolvedOnce() throws Exception {
        List<String> lookups = new CopyOnWriteArrayList<>();
        LoopbackHttp http = new LoopbackHttp(host -> {
            lookups.add(host);
            return host.equals("elsewhere.example") ? new InetAddress[] {InetAddress.getByName("203.0.113.7")}
                    : new InetAddress[] {LOOPBACK};
        });

        assertThatThrownBy(() -> download(http, url("localhost", "/away"), temp.resolve("x"), Long.MAX_VALUE))
                .hasMessageContaining("refusing http://elsewhere.example/file");
        assertThat(lookups).containsExactly("localhost", "elsewhere.example");
    }

    @Test
    void aBodyLongerThanTheSpaceLeftStopsWithNoSpaceLeft() {
        LoopbackHttp http = new LoopbackHttp(host -> new InetAddress[] {LOOPBACK});

        assertThatThrownBy(() -> download(http, url("localhost", "/file"), temp.resolve("x"), 10))
                .hasMessageContaining("no space left on device");
    }

    @Test
    void anUploadGoesWholeToTheCheckedAddress() throws Exception {
        Path source = Files.writeString(temp.resolve("source"), "x".repeat(3 << 20));
        LoopbackHttp http = new LoopbackHttp(host -> new InetAddress[] {LOOPBACK});

        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            http.upload(in, url("upload.example", "/put/it"));
        }

        assertThat(uploaded.get("/put/it")).hasSize(3 << 20);
    }
}
