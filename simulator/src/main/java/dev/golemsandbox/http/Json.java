package dev.golemsandbox.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);

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
