package dev.golemsandbox.activity.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP for deploy and transfers, limited to loopback hosts: the sandbox is offline, so anything
 * else is refused up front with a message that says so (and redirects are followed only while
 * they stay on loopback). Bodies are streamed, never held whole in memory. Thread-safe.
 */
public final class LoopbackHttp {

    private static final int MAX_REDIRECTS = 5;
    private static final int BUFFER_BYTES = 1 << 20;

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** Streams the body of {@code GET url} into {@code target}. */
    public void download(URI url, Path target) throws IOException, InterruptedException {
        download(url, target, null);
    }

    /**
     * Streams the body of {@code GET url} into {@code target}, feeding {@code digest} (if not null) on the way.
     *
     * @throws IOException naming the URL and what went wrong (refused host, HTTP status, connection)
     */
    public void download(URI url, Path target, MessageDigest digest) throws IOException, InterruptedException {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            requireLoopback(current);
            HttpResponse<InputStream> response = send(HttpRequest.newBuilder(current).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream(), current);
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status / 100 == 3 && response.headers().firstValue("Location").isPresent()) {
                    current = current.resolve(response.headers().firstValue("Location").get());
                    continue;
                }
                if (status != 200) {
                    throw new IOException("GET " + current + " answered HTTP " + status);
                }
                copy(body, target, digest);
                return;
            }
        }
        throw new IOException("GET " + url + " redirected more than " + MAX_REDIRECTS + " times");
    }

    /** {@code PUT url} with the file as the body, streamed. */
    public void upload(Path source, URI url) throws IOException, InterruptedException {
        requireLoopback(url);
        HttpRequest request = HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofFile(source)).build();
        HttpResponse<Void> response = send(request, HttpResponse.BodyHandlers.discarding(), url);
        if (response.statusCode() / 100 != 2) {
            throw new IOException("PUT " + url + " answered HTTP " + response.statusCode());
        }
    }

    /** Refuses any URL that is not http(s) on a host that resolves only to loopback addresses. */
    public static void requireLoopback(URI url) throws IOException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("refusing " + url + ": only http:// and https:// URLs can be fetched");
        }
        String host = url.getHost();
        boolean loopback;
        try {
            InetAddress[] addresses = host == null ? new InetAddress[0] : InetAddress.getAllByName(host);
            loopback = addresses.length > 0;
            for (InetAddress address : addresses) {
                loopback &= address.isLoopbackAddress();
            }
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new IOException("refusing " + url + ": the sandbox is offline, so its providers only reach"
                    + " loopback hosts (127.0.0.1, ::1, localhost)");
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, URI url)
            throws IOException, InterruptedException {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IOException(request.method() + " " + url + " failed: " + why, e);
        }
    }

    private static void copy(InputStream body, Path target, MessageDigest digest) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            int n;
            while ((n = body.read(buffer)) > 0) {
                if (digest != null) {
                    digest.update(buffer, 0, n);
                }
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
        }
    }
}
