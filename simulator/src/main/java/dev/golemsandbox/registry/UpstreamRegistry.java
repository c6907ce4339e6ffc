package dev.golemsandbox.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.gvmi.Sha3;
import dev.golemsandbox.json.JsonMapper;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.ImageStoreException;
import dev.golemsandbox.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Another registry that answers the v1 image API (the public Golem registry by default), asked
 * for tags and hashes the local store does not hold: {@code /v1/image/info} says which image,
 * {@code /v1/image/download?hash=} from the same registry gives it (the download URL in the
 * answer is not followed, so the upstream cannot send the sandbox elsewhere); the file must have
 * the SHA3-224 the answer promised (and the one asked for), must be a GVMI image and is kept in
 * the local store, tagged as asked, with "pulled from URL" as its origin.
 *
 * <p>Offline machines fail fast: a short connect timeout, and once the upstream could not be
 * reached it is not asked again for {@link #UNREACHABLE_BACKOFF}. Thread-safe; one pull per
 * reference at a time.
 *
 * <pre>{@code
 * UpstreamRegistry upstream = UpstreamRegistry.of("https://registry.golem.network", store, maxBytes);
 * UpstreamRegistry.Pull pull = upstream.pull("golem/examples-openssl:latest");
 * }</pre>
 */
public final class UpstreamRegistry {

    /** The public Golem registry, the default upstream. */
    public static final String PUBLIC_REGISTRY = "https://registry.golem.network";
    /** How long to wait for a TCP connection: long enough for a real registry, short for an offline machine. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** How long an unreachable upstream is not asked again. */
    static final Duration UNREACHABLE_BACKOFF = Duration.ofSeconds(60);
    private static final Duration INFO_TIMEOUT = Duration.ofSeconds(20);
    private static final int MAX_INFO_BYTES = 64 * 1024;
    private static final Pattern SHA3_224 = Pattern.compile("[0-9a-f]{56}");

    /** No upstream: every unknown image is a 404 at once. */
    public static final UpstreamRegistry NONE = new UpstreamRegistry(null, null, 0, Clock.systemUTC());

    private final URI base;
    private final ImageStore store;
    private final long maxBytes;
    private final Clock clock;
    private final HttpClient client;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();
    private volatile Instant unreachableUntil = Instant.MIN;
    private volatile String unreachableBecause = "";

    private UpstreamRegistry(URI base, ImageStore store, long maxBytes, Clock clock) {
        this.base = base;
        this.store = store;
        this.maxBytes = maxBytes;
        this.clock = clock;
        this.client = base == null ? null : HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * The upstream at {@code url}, or {@link #NONE} for null, blank or {@code none}.
     *
     * @param maxBytes the largest image it may hand over
     * @throws IllegalArgumentException when {@code url} is not an http(s) URL
     */
    public static UpstreamRegistry of(String url, ImageStore store, long maxBytes) {
        if (isOff(url)) {
            return NONE;
        }
        return new UpstreamRegistry(parse(url), store, maxBytes, Clock.systemUTC());
    }

    /** Whether {@code url} turns the upstream off ({@code none}, or nothing). */
    public static boolean isOff(String url) {
        return url == null || url.isBlank() || url.trim().equalsIgnoreCase("none");
    }

    /**
     * {@code url} as an upstream base URL, without a trailing slash.
     *
     * @throws IllegalArgumentException when it is not http(s)://host[:port][/path]
     */
    public static URI parse(String url) {
        String text = url.trim().replaceFirst("/+$", "");
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the upstream registry '" + url + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("the upstream registry must be an http:// or https:// URL such as "
                    + PUBLIC_REGISTRY + " (or none), not '" + url + "'");
        }
        return uri;
    }

    /** The upstream's base URL, or null when there is none. */
    public URI url() {
        return base;
    }

    /** What a pull came to: the image, now in the local store, or why there is none. */
    public record Pull(StoredImage image, String whyNot) {

        static Pull of(StoredImage image) {
            return new Pull(image, null);
        }

        static Pull failed(String whyNot) {
            return new Pull(null, whyNot);
        }

        public boolean succeeded() {
            return image != null;
        }
    }

    /**
     * Fetches the image tagged {@code tag} or with the full hash {@code sha3} (exactly one is set)
     * from the upstream into the local store.
     */
    public Pull pull(String tag, String sha3) {
        if (base == null) {
            return Pull.failed("no upstream registry is configured (--upstream-registry none)");
        }
        String reference = tag != null ? "tag=" + tag : "hash=" + sha3;
        synchronized (locks.computeIfAbsent(reference, r -> new Object())) {
            try {
                if (sha3 != null) {
                    var stored = store.byHash(sha3);
                    if (stored.isPresent()) {
                        return Pull.of(stored.get());
                    }
                } else {
                    var stored = store.tagged(tag);
                    if (stored.isPresent()) {
                        return Pull.of(stored.get());
                    }
                }
                return fetch(tag, sha3);
            } catch (ImageStoreException e) {
                return Pull.failed(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Pull.failed("the pull from " + base + " was interrupted");
            } catch (IOException e) {
                return Pull.failed(e.getMessage());
            } finally {
                locks.remove(reference);
            }
        }
    }

    private Pull fetch(String tag, String sha3) throws IOException, InterruptedException {
        Instant now = clock.instant();
        if (now.isBefore(unreachableUntil)) {
            return Pull.failed(unreachableBecause);
        }
        requireResolvable();
        String query = tag != null ? "tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8) : "hash=" + sha3;
        URI infoUrl = URI.create(base + "/v1/image/info?count=true&" + query);
        HttpResponse<InputStream> info = send(infoUrl, INFO_TIMEOUT);
        JsonNode answer;
        try (InputStream body = info.body()) {
            byte[] bytes = body.readNBytes(MAX_INFO_BYTES);
            if (info.statusCode() == 404) {
                return Pull.failed("the upstream registry " + base + " has no such image either");
            }
            if (info.statusCode() != 200) {
                return Pull.failed("the upstream registry " + base + " answered HTTP " + info.statusCode());
            }
            try {
                answer = JsonMapper.readTree(bytes);
            } catch (IOException e) {
                return Pull.failed("the upstream registry " + base + " answered something that is not JSON");
            }
        }
        String promised = answer == null ? "" : answer.path("sha3").asText("").toLowerCase(Locale.ROOT);
        if (!SHA3_224.matcher(promised).matches()) {
            return Pull.failed("the upstream registry " + base + " answered without a SHA3-224 \"sha3\"");
        }
        if (sha3 != null && !promised.equals(sha3)) {
            return Pull.failed("the upstream registry " + base + " answered hash " + sha3 + " with another image, " + promised);
        }
        StoredImage image = download(promised);
        if (tag != null) {
            try {
                image = store.tag(tag, promised);
            } catch (ImageStoreException e) {
                return Pull.failed("the image pulled from " + base + " could not be tagged " + tag + ": " + e.getMessage());
            }
        }
        return Pull.of(image);
    }

    private StoredImage download(String sha3) throws IOException, InterruptedException {
        URI url = URI.create(base + "/v1/image/download?hash=" + sha3);
        Path temp = store.newIncomingFile();
        try {
            HttpResponse<InputStream> response = send(url, null);
            MessageDigest digest = Sha3.digest("SHA3-224");
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("GET " + url + " answered HTTP " + response.statusCode());
                }
                copy(body, temp, digest, url);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(sha3)) {
                throw new IOException("the upstream registry " + base + " promised image " + sha3
                        + " but served a file whose SHA3-224 is " + actual + "; it was not kept");
            }
            try {
                return store.putMoving(temp, sha3, "pulled from " + base);
            } catch (ImageStoreException e) {
                throw new IOException("the image " + sha3 + " from " + base + " was refused: " + e.getMessage());
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void copy(InputStream body, Path target, MessageDigest digest, URI url) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = body.read(buffer)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new IOException("GET " + url + " sent more than the " + maxBytes
                            + " bytes an image may have here (--max-push-bytes)");
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
    }

    private HttpResponse<InputStream> send(URI url, Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().header("Accept", "application/json, */*");
        if (timeout != null) {
            request.timeout(timeout);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException
                 | java.nio.channels.UnresolvedAddressException e) {
            throw unreachable(e);
        } catch (IOException e) {
            if (e.getCause() instanceof java.nio.channels.UnresolvedAddressException
                    || e.getCause() instanceof java.net.UnknownHostException) {
                throw unreachable(e);
            }
            throw new IOException("GET " + url + " failed: " + describe(e), e);
        }
    }

    /**
     * The connect timeout does not bound the name lookup, which on a machine without a resolver
     * can take many seconds: look the host up with the same bound first.
     */
    private void requireResolvable() throws IOException, InterruptedException {
        String host = base.getHost();
        java.util.concurrent.CompletableFuture<java.net.InetAddress[]> lookup = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return java.net.InetAddress.getAllByName(host);
            } catch (java.net.UnknownHostException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try {
            lookup.get(CONNECT_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw unreachable(new IOException("looking up " + host + " took more than " + CONNECT_TIMEOUT.toSeconds() + " s"));
        } catch (java.util.concurrent.ExecutionException e) {
            throw unreachable(new IOException("unknown host " + host));
        }
    }

    private IOException unreachable(Exception e) {
        unreachableBecause = "the upstream registry " + base + " cannot be reached (" + describe(e)
                + "); it is not asked again for " + UNREACHABLE_BACKOFF.toSeconds() + " s";
        unreachableUntil = clock.instant().plus(UNREACHABLE_BACKOFF);
        return new IOException(unreachableBecause, e);
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
