package dev.golemsandbox.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server through which activities fetch uploads (GET) and deliver downloads (PUT),
 * using the ExeScript {@code transfer} command with {@code http://} URLs. Each file is reachable
 * under a random token only while a transfer needs it.
 */
final class TransferServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "golem-requestor-transfer");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Path> served = new ConcurrentHashMap<>();
    private final Map<String, Path> accepted = new ConcurrentHashMap<>();

    TransferServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/files/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A URL that serves {@code file} until {@link #forget} is called. */
    String serve(Path file) {
        String token = UUID.randomUUID().toString();
        served.put(token, file);
        return url(token);
    }

    /** A URL that stores what is PUT there into {@code target}. */
    String accept(Path target) {
        String token = UUID.randomUUID().toString();
        accepted.put(token, target);
        return url(token);
    }

    void forget(String url) {
        String token = url.substring(url.lastIndexOf('/') + 1);
        served.remove(token);
        accepted.remove(token);
    }

    private String url(String token) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/files/" + token;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String token = exchange.getRequestURI().getPath().substring("/files/".length());
            String method = exchange.getRequestMethod();
            if ("GET".equals(method) && served.containsKey(token)) {
                Path file = served.get(token);
                exchange.sendResponseHeaders(200, Files.size(file));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            } else if (("PUT".equals(method) || "POST".equals(method)) && accepted.containsKey(token)) {
                Path target = accepted.get(token);
                Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), ".download", ".part");
                try (InputStream in = exchange.getRequestBody()) {
                    Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(temp);
                }
                exchange.sendResponseHeaders(204, -1);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
