package dev.golemsandbox.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.json.JsonMapper;
import io.javalin.http.Context;

/**
 * The one JSON mapper of the API and the way every answer is written. Ids returned alone go out
 * as JSON strings ({@code "ab12"}, quoted) with {@code Content-Type: application/json}, because
 * ya-ts-client only parses bodies of that type; empty answers are 204 with no body.
 *
 * <pre>{@code
 * Json.created(ctx, demandId);      // 201 "demandId"
 * Json.ok(ctx, agreementView);      // 200 {...}
 * Json.noContent(ctx);              // 204
 * }</pre>
 */
public final class Json {

    public static final String CONTENT_TYPE = "application/json";

    private static final ObjectMapper MAPPER = JsonMapper.shared();

    private Json() {
    }

    /** The shared mapper: thread-safe, configured once. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** 200 with {@code value} as JSON. */
    public static void ok(Context ctx, Object value) {
        write(ctx, 200, value);
    }

    /** 201 with {@code value} as JSON (an id is written as a quoted JSON string). */
    public static void created(Context ctx, Object value) {
        write(ctx, 201, value);
    }

    /** 204, no body. */
    public static void noContent(Context ctx) {
        ctx.status(204);
    }

    /** {@code status} with {@code value} as JSON. */
    public static void write(Context ctx, int status, Object value) {
        ctx.status(status).contentType(CONTENT_TYPE).result(bytes(value));
    }

    /** {@code value} serialized; our own views always serialize, so a failure here is a bug. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
