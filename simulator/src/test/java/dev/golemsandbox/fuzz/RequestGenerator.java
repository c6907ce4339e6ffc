package dev.golemsandbox.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Makes requests for the HTTP fuzzer: values that fit an operation's schema most of the time (so
 * requests get past the first check and reach deeper code), then mutated (wrong types, missing and
 * extra fields, huge, empty, unicode and hostile strings, broken JSON, deep nesting), with real ids
 * of live objects mixed in.
 */
final class RequestGenerator {

    /** A request to send. */
    record Request(String method, String path, String contentType, byte[] body, boolean withKey) {
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> NASTY = List.of("", " ", "..", "../../etc/passwd", "%2e%2e%2f", "%00", "\u0000",
            "'\"<>{}", "\uFFFF\uD800", "Ω≈ç√", "0x", "-1", "1e309", "NaN", "null", "true", "[]", "{}", "(&(a=1)",
            "(golem.inf.mem.gib>=)", "((((((((((((((((", "hash:sha3:zz:gftp://x/y", "\r\nX-Injected: 1", "a".repeat(5000));

    private final Random random;
    private final Supplier<List<String>> liveIds;

    RequestGenerator(long seed, Supplier<List<String>> liveIds) {
        this.random = new Random(seed);
        this.liveIds = liveIds;
    }

    Request next(OpenApiOperations.Operation op) {
        String method = random.nextInt(50) == 0 ? pick(List.of("GET", "POST", "PUT", "DELETE", "PATCH")) : op.method();
        StringBuilder path = new StringBuilder(op.path());
        StringBuilder query = new StringBuilder();
        for (OpenApiOperations.Parameter p : op.parameters()) {
            if (p.in().equals("path")) {
                int at = path.indexOf("{" + p.name() + "}");
                if (at >= 0) {
                    path.replace(at, at + p.name().length() + 2, encode(pathValue()));
                }
            } else if (p.in().equals("query") && random.nextInt(4) != 0) {
                query.append(query.length() == 0 ? "?" : "&").append(p.name()).append('=')
                        .append(encode(queryValue(p.name(), p.schema())));
            }
        }
        if (random.nextInt(20) == 0) {
            query.append(query.length() == 0 ? "?" : "&").append(encode(pick(NASTY))).append('=').append(encode(pick(NASTY)));
        }
        byte[] body = null;
        String contentType = "application/json";
        if (!method.equals("GET") && !method.equals("DELETE") || random.nextInt(10) == 0) {
            body = body(op.bodySchema());
            if (random.nextInt(25) == 0) {
                contentType = pick(List.of("text/plain", "application/octet-stream", "application/x-www-form-urlencoded", ""));
            }
        }
        return new Request(method, path + query.toString(), contentType, body, random.nextInt(25) != 0);
    }

    private String pathValue() {
        List<String> ids = liveIds.get();
        int roll = random.nextInt(10);
        if (roll < 6 && !ids.isEmpty()) {
            return pick(ids);
        }
        return roll < 9 ? Long.toHexString(random.nextLong()) : pick(NASTY);
    }

    private String queryValue(String name, JsonNode schema) {
        if (name.equalsIgnoreCase("timeout") || name.equalsIgnoreCase("pollTimeout")) {
            // Long-polls honour their timeout (up to 10 minutes): keep them short so the run stays bounded.
            return random.nextInt(8) == 0 ? pick(List.of("-1", "abc", "-1e9", "NaN", "", "0x10")) : String.valueOf(random.nextInt(3) * 0.25);
        }
        if (random.nextInt(5) == 0) {
            return pick(NASTY);
        }
        JsonNode value = value(schema, 0);
        return value.isTextual() ? value.asText() : value.toString();
    }

    private byte[] body(JsonNode schema) {
        int roll = random.nextInt(20);
        if (roll == 0) {
            return pick(List.of("", "{", "[", "{\"a\":", "null", "\"x\"", "{}{}", "\u0000\u0001", "[".repeat(10_000)))
                    .getBytes(StandardCharsets.UTF_8);
        }
        if (roll == 1) {
            return deep(random.nextInt(2000) + 10).getBytes(StandardCharsets.UTF_8);
        }
        JsonNode value = schema == null ? randomJson(0) : value(schema, 0);
        if (roll < 8) {
            value = mutate(value, 0);
        }
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A value of the schema's type, with its properties (each present most of the time). */
    private JsonNode value(JsonNode schema, int depth) {
        if (depth > 5 || schema == null) {
            return JSON.textNode(word());
        }
        if (schema.has("enum") && schema.get("enum").size() > 0) {
            return schema.get("enum").get(random.nextInt(schema.get("enum").size()));
        }
        for (String combiner : List.of("allOf", "oneOf", "anyOf")) {
            if (schema.has(combiner) && schema.get(combiner).size() > 0) {
                if (combiner.equals("allOf")) {
                    ObjectNode merged = JSON.objectNode();
                    for (JsonNode part : schema.get(combiner)) {
                        JsonNode v = value(part, depth + 1);
                        if (v.isObject()) {
                            merged.setAll((ObjectNode) v);
                        }
                    }
                    return merged;
                }
                return value(schema.get(combiner).get(random.nextInt(schema.get(combiner).size())), depth + 1);
            }
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "string");
        return switch (type) {
            case "object" -> {
                ObjectNode object = JSON.objectNode();
                schema.path("properties").properties().forEach(e -> {
                    if (random.nextInt(6) != 0) {
                        object.set(e.getKey(), value(e.getValue(), depth + 1));
                    }
                });
                if (schema.path("additionalProperties").isObject() && random.nextBoolean()) {
                    object.set("golem.inf.mem.gib", value(schema.get("additionalProperties"), depth + 1));
                }
                yield object;
            }
            case "array" -> {
                ArrayNode array = JSON.arrayNode();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    array.add(value(schema.path("items"), depth + 1));
                }
                yield array;
            }
            case "integer" -> JSON.numberNode(random.nextInt(10) == 0 ? random.nextLong() : random.nextInt(100));
            case "number" -> JSON.numberNode(random.nextInt(10) == 0 ? random.nextDouble() * 1e30 : random.nextDouble() * 10);
            case "boolean" -> JSON.booleanNode(random.nextBoolean());
            default -> JSON.textNode(stringFor(schema));
        };
    }

    private String stringFor(JsonNode schema) {
        String format = schema.path("format").asText("");
        List<String> ids = liveIds.get();
        return switch (format) {
            case "date-time" -> random.nextInt(5) == 0 ? pick(NASTY) : "2026-12-01T10:00:00." + random.nextInt(1000) + "Z";
            default -> random.nextInt(3) == 0 && !ids.isEmpty() ? pick(ids) : random.nextInt(4) == 0 ? pick(NASTY) : word();
        };
    }

    private JsonNode mutate(JsonNode value, int depth) {
        int roll = random.nextInt(8);
        if (roll == 0 || depth > 4) {
            return randomJson(depth);
        }
        if (value.isObject()) {
            ObjectNode copy = ((ObjectNode) value).deepCopy();
            if (copy.size() > 0 && random.nextBoolean()) {
                String key = copy.fieldNames().next();
                if (random.nextBoolean()) {
                    copy.remove(key);
                } else {
                    copy.set(key, mutate(copy.get(key), depth + 1));
                }
            } else {
                copy.set(pick(NASTY), randomJson(depth + 1));
            }
            return copy;
        }
        if (value.isArray() && value.size() > 0) {
            ArrayNode copy = ((ArrayNode) value).deepCopy();
            copy.set(random.nextInt(copy.size()), mutate(copy.get(0), depth + 1));
            return copy;
        }
        return randomJson(depth);
    }

    private JsonNode randomJson(int depth) {
        int roll = random.nextInt(depth > 3 ? 5 : 8);
        return switch (roll) {
            case 0 -> JSON.nullNode();
            case 1 -> JSON.numberNode(random.nextLong());
            case 2 -> JSON.textNode(pick(NASTY));
            case 3 -> JSON.booleanNode(random.nextBoolean());
            case 4 -> JSON.numberNode(random.nextDouble() * (random.nextBoolean() ? 1e300 : -1));
            case 5 -> {
                ArrayNode array = JSON.arrayNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    array.add(randomJson(depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = JSON.objectNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    object.set(word(), randomJson(depth + 1));
                }
                yield object;
            }
        };
    }

    private static String deep(int levels) {
        return "{\"a\":".repeat(levels) + "1" + "}".repeat(levels);
    }

    private String word() {
        return pick(List.of("vm", "golem", "x", "0", "Initial", "Draft", "erc20-holesky-tglm", "(golem.runtime.name=vm)", "abc"))
                + (random.nextBoolean() ? "" : Integer.toString(random.nextInt(1000)));
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
