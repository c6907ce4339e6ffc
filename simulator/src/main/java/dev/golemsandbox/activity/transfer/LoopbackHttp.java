package dev.golemsandbox.activity.transfer;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 for deploy and transfers, limited to loopback hosts: the sandbox is offline, so
 * anything else is refused up front with a message that says so. A host name is resolved once,
 * every address it has must be loopback, and the connection goes to the address that was checked
 * (never a second lookup a rebinding name server could answer differently); redirects are
 * followed only while they stay on loopback, each hop checked the same way. Bodies are streamed,
 * never held whole in memory. Thread-safe.
 */
public final class LoopbackHttp {

    /** Looks a host name up; the JDK's resolver unless a test needs another. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final int MAX_REDIRECTS = 5;
    private static final int BUFFER_BYTES = 1 << 20;
    private static final int MAX_HEAD_BYTES = 64 << 10;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_MILLIS = 60_000;

    private final Resolver resolver;

    public LoopbackHttp() {
        this(InetAddress::getAllByName);
    }

    public LoopbackHttp(Resolver resolver) {
        this.resolver = resolver;
    }

    /**
     * Streams the body of {@code GET url} into {@code out}, feeding {@code digest} (if not null).
     *
     * @param maxBytes the most it may write; a longer body fails with "no space left on device"
     * @throws IOException naming the URL and what went wrong (refused host, HTTP status, connection)
     */
    public void download(URI url, WritableByteChannel out, MessageDigest digest, long maxBytes) throws IOException {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Target target = checked(current);
            try (Socket socket = connect(target, "GET", current)) {
                OutputStream request = socket.getOutputStream();
                request.write(head("GET", current, target, -1));
                request.flush();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                Response response = Response.read(in, "GET " + current);
                if (response.status / 100 == 3 && response.location != null) {
                    current = current.resolve(response.location);
                    continue;
                }
                if (response.status != 200) {
                    throw new IOException("GET " + current + " answered HTTP " + response.status);
                }
                if (response.length > maxBytes) {
                    throw noSpace(current, maxBytes);
                }
                copy(response.body(in), out, digest, maxBytes, current);
                return;
            }
        }
        throw new IOException("GET " + url + " redirected more than " + MAX_REDIRECTS + " times");
    }

    /** {@code PUT url} with the content of {@code source} as the body, streamed. */
    public void upload(FileChannel source, URI url) throws IOException {
        Target target = checked(url);
        try (Socket socket = connect(target, "PUT", url)) {
            OutputStream request = socket.getOutputStream();
            long size = source.size();
            request.write(head("PUT", url, target, size));
            byte[] buffer = new byte[BUFFER_BYTES];
            ByteBuffer wrapped = ByteBuffer.wrap(buffer);
            long sent = 0;
            int n;
            while (sent < size && (n = source.read(wrapped.clear())) > 0) {
                request.write(buffer, 0, n);
                sent += n;
            }
            request.flush();
            Response response = Response.read(new BufferedInputStream(socket.getInputStream()), "PUT " + url);
            if (response.status / 100 != 2) {
                throw new IOException("PUT " + url + " answered HTTP " + response.status);
            }
        }
    }

    /**
     * {@code PUT url} announcing a body of {@code announcedBytes} but sending only the content of
     * {@code source} (fewer bytes), then resetting the connection: the server sees a body cut
     * short, as from a provider whose connection broke mid-way.
     */
    public void uploadCut(FileChannel source, URI url, long announcedBytes) throws IOException {
        Target target = checked(url);
        try (Socket socket = connect(target, "PUT", url)) {
            OutputStream request = socket.getOutputStream();
            request.write(head("PUT", url, target, announcedBytes));
            byte[] buffer = new byte[BUFFER_BYTES];
            ByteBuffer wrapped = ByteBuffer.wrap(buffer);
            int n;
            while ((n = source.read(wrapped.clear())) > 0) {
                request.write(buffer, 0, n);
            }
            request.flush();
            // Linger 0: close sends a TCP reset instead of an orderly end.
            socket.setSoLinger(true, 0);
        }
    }

    /** Where a URL's request goes: the one loopback address its host resolved to when checked. */
    private record Target(InetAddress address, String host, int port, boolean secure) {
    }

    /** Refuses any URL that is not http(s) on a host that resolves only to loopback addresses. */
    private Target checked(URI url) throws IOException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("refusing " + url + ": only http:// and https:// URLs can be fetched");
        }
        String host = url.getHost();
        InetAddress[] addresses;
        try {
            addresses = host == null || url.getRawUserInfo() != null ? new InetAddress[0] : resolver.resolve(host);
        } catch (UnknownHostException e) {
            addresses = new InetAddress[0];
        }
        boolean loopback = addresses != null && addresses.length > 0;
        for (InetAddress address : loopback ? addresses : new InetAddress[0]) {
            loopback &= address.isLoopbackAddress();
        }
        if (!loopback) {
            throw new IOException("refusing " + url + ": the sandbox is offline, so its providers only reach"
                    + " loopback hosts (127.0.0.1, ::1, localhost)");
        }
        boolean secure = scheme.equals("https");
        int port = url.getPort() >= 0 ? url.getPort() : secure ? 443 : 80;
        return new Target(addresses[0], host, port, secure);
    }

    private static Socket connect(Target target, String method, URI url) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(target.address(), target.port()), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            if (!target.secure()) {
                return socket;
            }
            SSLSocket tls = (SSLSocket) SSLContext.getDefault().getSocketFactory()
                    .createSocket(socket, target.host().replaceAll("^\\[|]$", ""), target.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            return tls;
        } catch (IOException | NoSuchAlgorithmException e) {
            socket.close();
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IOException(method + " " + url + " failed: " + why, e);
        }
    }

    private static byte[] head(String method, URI url, Target target, long contentLength) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
        boolean defaultPort = url.getPort() < 0;
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(path).append(query).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target.host()).append(defaultPort ? "" : ":" + target.port()).append("\r\n")
                .append("User-Agent: golem-sandbox\r\nAccept: */*\r\nConnection: close\r\n");
        if (contentLength >= 0) {
            head.append("Content-Type: application/octet-stream\r\nContent-Length: ").append(contentLength).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void copy(InputStream body, WritableByteChannel out, MessageDigest digest, long maxBytes, URI url)
            throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        long written = 0;
        int n;
        while ((n = body.read(buffer)) > 0) {
            written += n;
            if (written > maxBytes) {
                throw noSpace(url, maxBytes);
            }
            if (digest != null) {
                digest.update(buffer, 0, n);
            }
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
        }
    }

    private static IOException noSpace(URI url, long maxBytes) {
        return new IOException("GET " + url + ": no space left on device: the activity's volumes have "
                + Math.max(0, maxBytes) + " bytes left");
    }

    /** The status line and the headers this client acts on. */
    private record Response(int status, long length, boolean chunked, String location) {

        static Response read(InputStream in, String request) throws IOException {
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException(request + " got no HTTP/1.x answer: " + statusLine);
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException(request + " got a malformed status line: " + statusLine);
            }
            long length = -1;
            boolean chunked = false;
            String location = null;
            int headBytes = statusLine.length();
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                headBytes += header.length();
                if (headBytes > MAX_HEAD_BYTES) {
                    throw new IOException(request + " got more than " + MAX_HEAD_BYTES + " bytes of headers");
                }
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> {
                        try {
                            length = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            throw new IOException(request + " got a malformed Content-Length: " + value);
                        }
                    }
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "location" -> location = value;
                    default -> { }
                }
            }
            return new Response(status, chunked ? -1 : length, chunked, location);
        }

        InputStream body(InputStream in) {
            if (chunked) {
                return new ChunkedBody(in);
            }
            return length >= 0 ? new LimitedBody(in, length) : in;
        }

        /** One CRLF-terminated line of the head (LF alone is accepted), without its end. */
        static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new EOFException("the connection closed in the middle of the answer's head");
                }
                if (line.size() > MAX_HEAD_BYTES) {
                    throw new IOException("an answer's header line is longer than " + MAX_HEAD_BYTES + " bytes");
                }
                line.write(b);
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
    }

    /** A body of known length: ends there, and a connection that closes early is an error. */
    private static final class LimitedBody extends InputStream {
        private final InputStream in;
        private long left;

        LimitedBody(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n < 0) {
                throw new EOFException("the connection closed " + left + " bytes before the announced end of the body");
            }
            left -= n;
            return n;
        }
    }

    /** {@code Transfer-Encoding: chunked}: hex size lines, each chunk, a zero chunk, trailers. */
    private static final class ChunkedBody extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = Response.line(in);
                int extension = size.indexOf(';');
                try {
                    left = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("a malformed chunk size in the answer: " + size);
                }
                if (left == 0) {
                    while (!Response.line(in).isEmpty()) {
                        // Trailers are of no use here.
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n < 0) {
                throw new EOFException("the connection closed in the middle of a chunk");
            }
            left -= n;
            if (left == 0) {
                Response.line(in);
            }
            return n;
        }
    }
}
