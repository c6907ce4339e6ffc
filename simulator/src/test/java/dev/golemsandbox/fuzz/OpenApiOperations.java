package dev.golemsandbox.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The operations of the yagna OpenAPI specs (ya-client's), with their parameters and body
 * schemas, {@code $ref}s resolved: what the HTTP fuzzer derives its requests from.
 */
final class OpenApiOperations {

    /** One operation: {@code POST /market-api/v1/demands} with its parameters and body schema (or null). */
    record Operation(String method, String path, List<Parameter> parameters, JsonNode bodySchema) {
    }

    /** A path or query parameter and its schema. */
    record Parameter(String name, String in, JsonNode schema) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> METHODS = List.of("get", "post", "put", "delete", "patch");

    private final Path dir;
    private final Map<String, JsonNode> documents = new HashMap<>();

    private OpenApiOperations(Path dir) {
        this.dir = dir;
    }

    /** Every operation of every spec in {@code dir}. */
    static List<Operation> load(Path dir) throws IOException {
        OpenApiOperations specs = new OpenApiOperations(dir);
        List<Operation> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                all.addAll(specs.operations(file.getFileName().toString()));
            }
        }
        return all;
    }

    private List<Operation> operations(String file) throws IOException {
        JsonNode spec = document(file);
        String prefix = spec.at("/servers/0/url").asText("");
        List<Operation> operations = new ArrayList<>();
        spec.path("paths").properties().forEach(path -> {
            JsonNode item = path.getValue();
            List<Parameter> shared = parameters(file, item.path("parameters"));
            for (String method : METHODS) {
                JsonNode op = item.get(method);
                if (op == null) {
                    continue;
                }
                List<Parameter> parameters = new ArrayList<>(shared);
                parameters.addAll(parameters(file, op.path("parameters")));
                JsonNode body = resolve(file, op.path("requestBody"));
                JsonNode schema = body == null ? null : resolve(file, body.at("/content/application~1json/schema"));
                operations.add(new Operation(method.toUpperCase(Locale.ROOT), prefix + path.getKey(), parameters,
                        schema == null ? null : inline(file, schema, 0)));
            }
        });
        return operations;
    }

    private List<Parameter> parameters(String file, JsonNode list) {
        List<Parameter> parameters = new ArrayList<>();
        for (JsonNode raw : list) {
            JsonNode p = resolve(file, raw);
            if (p != null && p.has("name")) {
                JsonNode schema = resolve(file, p.path("schema"));
                parameters.add(new Parameter(p.get("name").asText(), p.path("in").asText(),
                        schema == null ? YAML.createObjectNode() : inline(file, schema, 0)));
            }
        }
        return parameters;
    }

    /** The schema with every {@code $ref} replaced by what it names, to a bounded depth. */
    private JsonNode inline(String file, JsonNode schema, int depth) {
        JsonNode resolved = resolve(file, schema);
        if (resolved == null || depth > 6) {
            return YAML.createObjectNode();
        }
        String refFile = schema.has("$ref") ? fileOf(file, schema.get("$ref").asText()) : file;
        JsonNode copy = resolved.deepCopy();
        if (copy.isObject()) {
            var object = (com.fasterxml.jackson.databind.node.ObjectNode) copy;
            if (object.has("properties")) {
                var properties = (com.fasterxml.jackson.databind.node.ObjectNode) object.get("properties");
                properties.properties().forEach(e -> e.setValue(inline(refFile, e.getValue(), depth + 1)));
            }
            for (String key : List.of("items", "additionalProperties")) {
                if (object.get(key) != null && object.get(key).isObject()) {
                    object.set(key, inline(refFile, object.get(key), depth + 1));
                }
            }
            for (String key : List.of("allOf", "oneOf", "anyOf")) {
                if (object.get(key) != null && object.get(key).isArray()) {
                    var array = (com.fasterxml.jackson.databind.node.ArrayNode) object.get(key);
                    for (int i = 0; i < array.size(); i++) {
                        array.set(i, inline(refFile, array.get(i), depth + 1));
                    }
                }
            }
        }
        return copy;
    }

    private JsonNode resolve(String file, JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        int hops = 0;
        while (node.has("$ref") && hops++ < 10) {
            String ref = node.get("$ref").asText();
            String target = fileOf(file, ref);
            String pointer = ref.contains("#") ? ref.substring(ref.indexOf('#') + 1) : "";
            try {
                node = document(target).at(pointer);
            } catch (IOException e) {
                return null;
            }
            file = target;
            if (node.isMissingNode()) {
                return null;
            }
        }
        return node;
    }

    private static String fileOf(String current, String ref) {
        return ref.startsWith("#") ? current : ref.substring(0, ref.indexOf('#') < 0 ? ref.length() : ref.indexOf('#'));
    }

    private JsonNode document(String file) throws IOException {
        JsonNode doc = documents.get(file);
        if (doc == null) {
            doc = YAML.readTree(dir.resolve(file).toFile());
            documents.put(file, doc);
        }
        return doc;
    }
}
