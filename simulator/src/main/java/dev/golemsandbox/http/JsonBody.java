package dev.golemsandbox.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.json.JsonMapper;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.util.Map;

/**
 * A request body read as a JSON object, with field accessors that fail with a 400 naming the
 * field and what was expected, so a caller's mistake never surfaces as a 500.
 *
 * <pre>{@code
 * JsonBody body = JsonBody.of(ctx);
 * Map<String, Object> properties = body.object("properties");
 * String constraints = body.string("constraints");
 * }</pre>
 */
public final class JsonBody {

    /** Amounts have at most this many digits on either side of the point (GLM has 18 decimals). */
    private static final int MAX_DIGITS = 36;

    /** Requests word their problems by field name, as yagna's answers do. */
    private static final JsonFields.Wording REQUEST_BODY = new JsonFields.Wording() {
        @Override
        public RuntimeException missing(String field) {
            return new ApiException.BadRequest("request body lacks the field '" + field + "'");
        }

        @Override
        public RuntimeException wrongType(String field, String expected, JsonNode got) {
            return new ApiException.BadRequest("field '" + field + "' must be " + expected + ", got " + describe(got));
        }

        @Override
        public RuntimeException wrongElement(String field, String expected, JsonNode element) {
            return new ApiException.BadRequest("field '" + field + "' must be " + expected + ", but holds " + describe(element));
        }
    };

    private final ObjectNode root;
    private final JsonFields fields;

    private JsonBody(ObjectNode root) {
        this.root = root;
        this.fields = new JsonFields(root, REQUEST_BODY);
    }

    /** The request's body, which must be a JSON object. */
    public static JsonBody of(Context ctx) {
        return parse(ctx.body());
    }

    /** The request's body as a JSON object, or an empty object when the body is empty (optional bodies). */
    public static JsonBody ofOptional(Context ctx) {
        String text = ctx.body();
        return text.isBlank() ? new JsonBody(Json.mapper().createObjectNode()) : parse(text);
    }

    /** {@code text} as a JSON object body. */
    public static JsonBody parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ApiException.BadRequest("request body is empty: a JSON object is expected");
        }
        JsonNode node;
        try {
            node = JsonMapper.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ApiException.BadRequest("malformed JSON body" + where + ": " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new ApiException.BadRequest("request body must be a JSON object, got " + describe(node));
        }
        return new JsonBody(object);
    }

    /** The whole body. */
    public ObjectNode node() {
        return root;
    }

    /** Whether {@code field} is present and not null. */
    public boolean has(String field) {
        return fields.optional(field) != null;
    }

    /** A required string field. */
    public String string(String field) {
        return fields.string(field);
    }

    /** An optional string field: null when absent, null or empty. */
    public String optionalString(String field) {
        String value = fields.optionalString(field);
        return value == null || value.isEmpty() ? null : value;
    }

    /** A required JSON object field, as plain Java values (maps, lists, strings, numbers, booleans). */
    public Map<String, Object> object(String field) {
        return fields.object(field);
    }

    /** A required decimal amount, given as a string ("1.25") or a JSON number. */
    public BigDecimal decimal(String field) {
        JsonNode value = fields.required(field);
        String text = value.isNumber() ? value.decimalValue().toPlainString() : value.isTextual() ? value.asText().trim() : null;
        if (text == null) {
            throw REQUEST_BODY.wrongType(field, "a decimal amount such as \"1.25\"", value);
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest("field '" + field + "' must be a decimal amount such as \"1.25\", got \"" + text + "\"");
        }
        if (amount.scale() > MAX_DIGITS || amount.precision() - amount.scale() > MAX_DIGITS) {
            throw new ApiException.BadRequest("field '" + field + "' is out of range: at most " + MAX_DIGITS
                    + " digits before and after the decimal point, got \"" + text + "\"");
        }
        return amount;
    }

    private static String describe(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        String text = node.toString();
        return node.getNodeType().name().toLowerCase() + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
}
