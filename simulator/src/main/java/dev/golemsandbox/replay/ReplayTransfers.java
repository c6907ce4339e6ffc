package dev.golemsandbox.replay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.golemsandbox.blob.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The requestor's end of a replay's transfers, in place of the gftp services the recorded
 * requestor bound: a loopback HTTP server that serves recorded uploads from the blob store (GET)
 * and hashes what downloads deliver (PUT) without keeping it. Each URL carries a random token and
 * works for one file.
 */
final class ReplayTransfers implements AutoCloseable {

    private static final SecureRandom TOKENS = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "replay-transfer");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Path> served = new ConcurrentHashMap<>();
    private final Map<String, Optional<ContentHash>> received = new ConcurrentHashMap<>();

    ReplayTransfers() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for the replay's transfers", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * A URL that serves {@code blob} (a verified file of the blob store) under {@code name}, the
     * name the recorded source gave it (a copy dropped into a directory keeps that name).
     */
    String serve(Path blob, String name) {
        String token = token();
        served.put(token, blob);
        return url(token) + "/" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A URL that takes a download; {@link #received} tells what arrived there. */
    String receive() {
        String token = token();
        received.put(token, Optional.empty());
        return url(token);
    }

    /** The hash of what was delivered at {@code url}, if anything was. */
    Optional<ContentHash> received(String url) {
        return received.getOrDefault(url.substring(url.lastIndexOf('/') + 1), Optional.empty());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(1);
            String token = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
            String method = exchange.getRequestMethod();
            Path blob = served.get(token);
            if (blob != null && ("GET".equals(method) || "HEAD".equals(method))) {
                long size = Files.size(blob);
                if ("HEAD".equals(method)) {
                    exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
                    exchange.sendResponseHeaders(200, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(blob, out);
                }
            } else if (received.containsKey(token) && ("PUT".equals(method) || "POST".equals(method))) {
                try (InputStream in = exchange.getRequestBody()) {
                    received.put(token, Optional.of(ContentHash.of(in)));
                }
                exchange.sendResponseHeaders(204, -1);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private String url(String token) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + token;
    }

    private static String token() {
        byte[] random = new byte[16];
        TOKENS.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
