package dev.golemsandbox.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.http.Json;
import io.javalin.http.Context;
import java.util.Map;

/**
 * JSON bodies of the registry API, written with its own mapper so they look the same whatever
 * JSON mapper the hosting server configures.
 */
final class RegistryJson {

    private static final ObjectMapper JSON = Json.mapper();

    private RegistryJson() {
    }

    static void write(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("registry answers are plain records and always serialize", e);
        }
    }

    /** yagna's error body: {@code {"message": "..."}}. */
    static void error(Context ctx, int status, String message) {
        write(ctx, status, Map.of("message", message));
    }
}
