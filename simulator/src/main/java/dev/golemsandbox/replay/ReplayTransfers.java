package dev.golemsandbox.replay;

import dev.golemsandbox.blob.ContentHash;
import dev.golemsandbox.client.YagnaApiException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The requestor's end of a replay's transfers, as golem-js's default storage is: gftp files
 * offered over the daemon's own GSB WebSocket, which this process opens. A recorded upload is
 * served from the blob store, and what a download delivers is hashed without being kept. As the
 * connections go from the replay to the daemon, a replay works against a sandbox anywhere it can
 * reach (another machine, a container), with no route back.
 */
final class ReplayTransfers implements AutoCloseable {

    private static final SecureRandom TOKENS = new SecureRandom();
    /** A recorded name that can serve as the gftp id (and so as the name of a copy dropped into a directory). */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI apiUrl;
    private final String appKey;
    private final String nodeId;
    private final List<GftpService> services = new CopyOnWriteArrayList<>();
    private final Map<String, GftpService> receiving = new ConcurrentHashMap<>();

    /** @param nodeId the requestor's node id, which gftp URLs name */
    ReplayTransfers(URI apiUrl, String appKey, String nodeId) {
        this.apiUrl = apiUrl;
        this.appKey = appKey;
        this.nodeId = nodeId;
    }

    /**
     * A gftp URL that serves {@code blob} (a verified file of the blob store), with {@code name},
     * the last segment of the recorded source, as its id when it can be one: a copy dropped into
     * a directory is named after it.
     */
    String serve(Path blob, String name) {
        String id = PLAIN_NAME.matcher(name).matches() ? name : token();
        try {
            services.add(GftpService.serving(http, apiUrl, appKey, id, blob));
        } catch (IOException e) {
            // The name may be bound already (the same recorded source twice): a fresh id serves as well.
            try {
                id = token();
                services.add(GftpService.serving(http, apiUrl, appKey, id, blob));
            } catch (IOException again) {
                throw new YagnaApiException("gftp upload", 0, "cannot offer a recorded upload over gftp: " + again.getMessage());
            }
        }
        return url(id);
    }

    /** A gftp URL that takes a download; {@link #received} tells what arrived there. */
    String receive() {
        String id = token();
        try {
            GftpService service = GftpService.receiving(http, apiUrl, appKey, id);
            services.add(service);
            receiving.put(url(id), service);
        } catch (IOException e) {
            throw new YagnaApiException("gftp download", 0, "cannot take a download over gftp: " + e.getMessage());
        }
        return url(id);
    }

    /** The hash of what was delivered at {@code url}, if the whole file was. */
    Optional<ContentHash> received(String url) {
        GftpService service = receiving.get(url);
        return service == null ? Optional.empty() : service.received();
    }

    private String url(String id) {
        return "gftp://" + nodeId + "/" + id;
    }

    private static String token() {
        byte[] random = new byte[16];
        TOKENS.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    @Override
    public void close() {
        services.forEach(GftpService::close);
    }
}
