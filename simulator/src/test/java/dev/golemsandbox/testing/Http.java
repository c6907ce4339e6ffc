package dev.golemsandbox.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A JSON HTTP client for tests, speaking to a {@link TestServer} as a requestor would. */
public final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TestServer server;

    public Http(TestServer server) {
        this.server = server;
    }

    /** A response: status, content type and body (parsed as JSON when it is JSON). */
    public record Response(int status, String contentType, String text) {
        public JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text, e);
            }
        }

        public String message() {
            return json().get("message").asText();
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(server.uri(path)).GET());
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(server.uri(path)).DELETE());
    }

    public Response post(String path, String body) {
        return send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response post(String path, JsonNode body) {
        return post(path, body.toString());
    }

    public HttpClient client() {
        return client;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static URI uri(String text) {
        return URI.create(text);
    }
}
