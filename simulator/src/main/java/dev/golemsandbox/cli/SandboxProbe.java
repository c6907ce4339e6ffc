package dev.golemsandbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Asks a sandbox's {@code /_sandbox/} endpoints how it is, for status, wait and up --detach. */
final class SandboxProbe {

    private static final ObjectMapper JSON = Json.mapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SandboxProbe() {
    }

    /** Whether {@code /_sandbox/ready} answers 200. */
    static boolean isReady(String baseUrl) {
        return get(baseUrl + "/_sandbox/ready", null).map(r -> r.statusCode() == 200).orElse(false);
    }

    /** The JSON of a public endpoint, if the sandbox answers it with 200. */
    static Optional<JsonNode> json(String baseUrl, String path) {
        return json(baseUrl, path, null);
    }

    /** The JSON of an endpoint that needs the app key, if the sandbox answers it with 200. */
    static Optional<JsonNode> json(String baseUrl, String path, String appKey) {
        return get(baseUrl + path, appKey).filter(r -> r.statusCode() == 200).flatMap(r -> {
            try {
                return Optional.of(JSON.readTree(r.body()));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    private static Optional<HttpResponse<String>> get(String url, String appKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (appKey != null) {
            request.header("Authorization", "Bearer " + appKey);
        }
        try {
            return Optional.of(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
