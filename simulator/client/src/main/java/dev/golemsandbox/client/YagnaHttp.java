package dev.golemsandbox.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** JSON over HTTP to a yagna daemon (or the sandbox), with the app key on every call. */
final class YagnaHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI apiUrl;
    private final String appKey;
    private final HttpClient http;

    /** The key sent with every request, also to the sandbox's own endpoints. */
    String appKey() {
        return appKey;
    }

    YagnaHttp(URI apiUrl, String appKey) {
        this.apiUrl = apiUrl;
        this.appKey = appKey;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    URI apiUrl() {
        return apiUrl;
    }

    JsonNode get(String path) {
        return send("GET", path, null, Duration.ofSeconds(60));
    }

    /** A GET that the server may hold up to {@code hold} (long-poll). */
    JsonNode poll(String path, Duration hold) {
        return send("GET", path, null, hold.plusSeconds(30));
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body, Duration.ofSeconds(60));
    }

    JsonNode post(String path, Object body, Duration hold) {
        return send("POST", path, body, hold.plusSeconds(30));
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null, Duration.ofSeconds(60));
    }

    private JsonNode send(String method, String path, Object body, Duration timeout) {
        String call = method + " " + path;
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
        if (body != null) {
            try {
                publisher = HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("request body is not serializable: " + e.getOriginalMessage(), e);
            }
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + appKey)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .method(method, publisher)
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new YagnaApiException(call, 0, "no answer from " + apiUrl + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new YagnaApiException(call, 0, "interrupted");
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            String message = json.hasNonNull("message") ? json.get("message").asText() : response.body();
            throw new YagnaApiException(call, response.statusCode(), message);
        }
        return json;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }
}
