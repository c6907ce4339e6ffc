package dev.golemsandbox.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed, checked reads of the fields of one JSON object, for every reader of caller input (request
 * bodies, ExeScript commands): a field of the wrong type fails with an exception worded for the
 * caller by the {@link Wording} given, never with a 500.
 *
 * <pre>{@code
 * JsonFields fields = new JsonFields(node, wording);
 * List<String> args = fields.strings("args");          // [] when absent
 * String user = fields.optionalString("user");         // null when absent
 * }</pre>
 */
public final class JsonFields {

    /** How one kind of input words its problems (which request, which command, ...). */
    public interface Wording {

        /** A required field is absent or null. */
        RuntimeException missing(String field);

        /** {@code field} is {@code got}, not {@code expected} (e.g. "a string"). */
        RuntimeException wrongType(String field, String expected, JsonNode got);

        /** An element of the array {@code field} is {@code element}, which does not fit {@code expected}. */
        RuntimeException wrongElement(String field, String expected, JsonNode element);
    }

    private final JsonNode object;
    private final Wording wording;

    /** @param object a JSON object (the caller checks that it is one) */
    public JsonFields(JsonNode object, Wording wording) {
        this.object = object;
        this.wording = wording;
    }

    /** The field's value, or null when it is absent or null. */
    public JsonNode optional(String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** The field's value; fails with {@link Wording#missing} when absent or null. */
    public JsonNode required(String field) {
        JsonNode value = optional(field);
        if (value == null) {
            throw wording.missing(field);
        }
        return value;
    }

    /** A required string field. */
    public String string(String field) {
        JsonNode value = required(field);
        if (!value.isTextual()) {
            throw wording.wrongType(field, "a string", value);
        }
        return value.asText();
    }

    /** An optional string field: null when absent or null. */
    public String optionalString(String field) {
        JsonNode value = optional(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw wording.wrongType(field, "a string", value);
        }
        return value.asText();
    }

    /** An optional array of strings: empty when absent or null. */
    public List<String> strings(String field) {
        JsonNode value = optional(field);
        List<String> strings = new ArrayList<>();
        if (value == null) {
            return strings;
        }
        if (!value.isArray()) {
            throw wording.wrongType(field, "an array of strings", value);
        }
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw wording.wrongElement(field, "an array of strings", element);
            }
            strings.add(element.asText());
        }
        return strings;
    }

    /** An optional object whose values are all strings: empty when absent or null. */
    public Map<String, String> stringMap(String field) {
        JsonNode value = optional(field);
        Map<String, String> map = new LinkedHashMap<>();
        if (value == null) {
            return map;
        }
        if (!value.isObject()) {
            throw wording.wrongType(field, "an object of strings, e.g. {\"NAME\":\"value\"}", value);
        }
        value.properties().forEach(entry -> {
            if (!entry.getValue().isTextual()) {
                throw wording.wrongType(field + "." + entry.getKey(), "a string", entry.getValue());
            }
            map.put(entry.getKey(), entry.getValue().asText());
        });
        return map;
    }

    /** A required JSON object field, as plain Java values (maps, lists, strings, numbers, booleans). */
    public Map<String, Object> object(String field) {
        JsonNode value = required(field);
        if (!value.isObject()) {
            throw wording.wrongType(field, "a JSON object", value);
        }
        return Json.mapper().convertValue(value, Json.mapper().getTypeFactory()
                .constructMapType(Map.class, String.class, Object.class));
    }
}
