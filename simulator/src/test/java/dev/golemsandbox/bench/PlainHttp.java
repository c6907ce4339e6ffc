package dev.golemsandbox.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The leanest HTTP/1.1 client: one kept-alive socket, requests written whole, answers read in the
 * calling thread (as an event-loop client such as golem-js's Node does, with no thread hand-off).
 * Shows what the server's side of a round trip costs apart from a client library's. Not
 * thread-safe; only for answers with a Content-Length.
 */
final class PlainHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String appKey;

    PlainHttp(URI base, String appKey) throws IOException {
        this.socket = new Socket(base.getHost(), base.getPort());
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.appKey = appKey;
    }

    /** Sends one request and returns the answer's body; a status other than 2xx fails. */
    String send(String method, String path, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + appKey
                + "\r\nContent-Type: application/json\r\nContent-Length: " + content.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(content);
        out.flush();
        String status = line();
        int length = -1;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring("content-length:".length()).trim());
            }
        }
        if (length < 0) {
            throw new IOException(method + " " + path + ": an answer without a Content-Length");
        }
        String answer = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        if (!status.matches("HTTP/1\\.1 2\\d\\d.*")) {
            throw new IOException(method + " " + path + ": " + status + " " + answer);
        }
        return answer;
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the server closed the connection");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
