package dev.golemsandbox.gftp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sandbox's yagna API as the gftp program uses it, with nothing but {@code YAGNA_API_URL}
 * and {@code YAGNA_APPKEY}: the requestor's node id ({@code GET /me}) for the URLs, and a GSB
 * service per file ({@code POST /gsb-api/v1/services}, its WebSocket, {@code DELETE}), exactly as
 * golem-js 3's WebSocket storage binds them. Thread-safe.
 */
final class SandboxGsb {

    static final String SUBPROTOCOL = "gsb+flexbuffers";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI api;
    private final String appKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = JsonMapper.shared();
    private volatile String nodeId;

    /** @param api the yagna API's base URL, e.g. {@code http://127.0.0.1:7465} (no trailing slash needed) */
    SandboxGsb(URI api, String appKey) {
        this.api = URI.create(api.toString().replaceAll("/+$", ""));
        this.appKey = appKey;
    }

    /** The requestor's identity, which names the node in {@code gftp://<node>/<id>}. */
    String nodeId() throws IOException, InterruptedException {
        if (nodeId == null) {
            JsonNode me = call(HttpRequest.newBuilder(endpoint("/me")).GET(), 200);
            JsonNode identity = me.get("identity");
            if (identity == null || !identity.isTextual()) {
                throw new IOException(api + "/me answered without an identity: " + me);
            }
            nodeId = identity.asText();
        }
        return nodeId;
    }

    /**
     * Binds {@code file} at {@code /public/gftp/<uuid>} and opens the service's WebSocket, so the
     * provider can reach it as soon as the caller hands out the URL.
     */
    BoundFile bind(ServedFile file) throws IOException, InterruptedException {
        String id = UUID.randomUUID().toString();
        ObjectNode body = json.createObjectNode();
        ObjectNode listen = body.putObject("listen").put("on", "/public/gftp/" + id);
        file.components().forEach(listen.putArray("components")::add);
        JsonNode bound = call(HttpRequest.newBuilder(endpoint("/gsb-api/v1/services"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), 201);
        String servicesId = bound.path("servicesId").asText();
        if (servicesId.isEmpty()) {
            throw new IOException(api + "/gsb-api/v1/services answered without a servicesId: " + bound);
        }
        URI socketUri = URI.create(endpoint("/gsb-api/v1/services/" + servicesId).toString().replaceFirst("^http", "ws")
                + "?authToken=" + URLEncoder.encode(appKey, StandardCharsets.UTF_8));
        BoundFile served = new BoundFile("gftp://" + nodeId() + "/" + id, file, () -> unbind(servicesId));
        try {
            WebSocket socket = http.newWebSocketBuilder().subprotocols(SUBPROTOCOL)
                    .buildAsync(socketUri, served.listener()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            served.connected(socket);
            return served;
        } catch (ExecutionException | TimeoutException e) {
            served.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("could not open the GSB WebSocket of " + served.url() + " at " + api + ": " + cause, cause);
        }
    }

    /** Unbinds a service; a sandbox that is gone has unbound it already. */
    private void unbind(String servicesId) {
        try {
            http.send(authorized(HttpRequest.newBuilder(endpoint("/gsb-api/v1/services/" + servicesId)).DELETE())
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // The sandbox is unreachable: its services went with it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private URI endpoint(String path) {
        return URI.create(api + path);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + appKey).header("Accept", "application/json");
    }

    private JsonNode call(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        HttpRequest built = authorized(request).timeout(TIMEOUT).build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("the sandbox at " + api + " is unreachable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is YAGNA_API_URL right and the sandbox up?", e);
        }
        if (response.statusCode() != expected) {
            throw new IOException(built.method() + " " + built.uri().getPath() + " answered " + response.statusCode()
                    + ": " + message(response.body()) + (response.statusCode() == 401 ? " (is YAGNA_APPKEY the sandbox's app key?)" : ""));
        }
        return json.readTree(response.body());
    }

    private String message(String body) {
        try {
            return json.readTree(body).path("message").asText(body);
        } catch (IOException e) {
            return body;
        }
    }
}
