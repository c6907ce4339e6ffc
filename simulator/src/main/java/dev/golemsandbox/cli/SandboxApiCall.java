package dev.golemsandbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.http.UserError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One call to a running sandbox's API with its app key, for commands that change it: the JSON
 * answer, or the sandbox's own {@code message} as a one-line error (exit 2 for what the user asked
 * wrong, 3 when the sandbox does not answer).
 */
final class SandboxApiCall {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SandboxApiCall() {
    }

    static JsonNode send(RunningSandbox sandbox, String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + sandbox.appKey())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UserError(UserError.UNAVAILABLE, "the sandbox at " + sandbox.baseUrl() + " does not answer: " + e.getMessage(),
                    "check it with 'golem-sandbox status'");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError(UserError.UNAVAILABLE, "interrupted", null);
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() >= 400) {
            String message = answer != null && answer.hasNonNull("message") ? answer.get("message").asText() : response.body();
            throw new UserError(response.statusCode() < 500 ? UserError.BAD_INPUT : UserError.UNAVAILABLE, message, null);
        }
        return answer;
    }

    private static JsonNode parse(String text) {
        try {
            return text.isBlank() ? null : Json.mapper().readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
