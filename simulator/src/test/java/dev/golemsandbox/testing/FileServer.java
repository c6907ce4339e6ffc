package dev.golemsandbox.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny loopback HTTP server for deploy and transfer tests: serves the bytes put at a path and
 * keeps the bodies PUT to it.
 */
public final class FileServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger gets = new AtomicInteger();

    public FileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            try (exchange) {
                if (exchange.getRequestMethod().equals("PUT")) {
                    try (InputStream in = exchange.getRequestBody()) {
                        files.put(path, in.readAllBytes());
                    }
                    exchange.sendResponseHeaders(201, -1);
                    return;
                }
                gets.incrementAndGet();
                byte[] body = files.get(path);
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    public void put(String path, byte[] body) {
        files.put(path, body);
    }

    public byte[] get(String path) {
        return files.get(path);
    }

    /** How many GETs it has answered. */
    public int gets() {
        return gets.get();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
