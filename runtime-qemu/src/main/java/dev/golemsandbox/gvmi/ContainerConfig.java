package dev.golemsandbox.gvmi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.json.JsonMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Docker container {@code Config} object stored in a GVMI trailer: what a provider reads to
 * know the image's environment, default directory, user and volumes.
 *
 * <p>Field names are Docker's ({@code Env}, {@code WorkingDir}, ...). Fields this class does not
 * model ({@code Hostname}, {@code Image}, ...) are kept as they came, so that a config read from a
 * Docker image is written back unchanged. Immutable; build modified copies with the {@code with}
 * methods.
 *
 * <pre>{@code
 * ContainerConfig config = ContainerConfig.empty()
 *     .withWorkingDir("/golem/work")
 *     .withVolumes(List.of("/golem/input", "/golem/output"));
 * }</pre>
 */
public final class ContainerConfig {

    private static final ObjectMapper JSON = JsonMapper.shared();

    /**
     * Docker's order of the container config fields, as gvmkit-build serializes them, so that our
     * trailers are byte-identical to its trailers for the same config.
     */
    private static final List<String> DOCKER_FIELD_ORDER = List.of(
            "Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr",
            "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd", "Healthcheck",
            "ArgsEscaped", "Image", "Volumes", "WorkingDir", "Entrypoint", "NetworkDisabled",
            "MacAddress", "OnBuild", "Labels", "StopSignal", "StopTimeout", "Shell");

    private final ObjectNode fields;

    private ContainerConfig(ObjectNode fields) {
        this.fields = fields;
    }

    /** A config with no fields at all. */
    public static ContainerConfig empty() {
        return new ContainerConfig(JsonNodeFactory.instance.objectNode());
    }

    /**
     * Reads Docker's container config JSON (the object itself, not an image config around it).
     * JSON {@code null} fields are treated as absent, as Docker writes them that way.
     *
     * @throws IllegalArgumentException if the text is not a JSON object
     */
    public static ContainerConfig fromJson(String json) {
        JsonNode node;
        try {
            node = JsonMapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
        return fromJsonNode(node);
    }

    /** Same as {@link #fromJson(String)} for an already parsed node. */
    public static ContainerConfig fromJsonNode(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the container config is not a JSON object");
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        node.properties().forEach(e -> {
            if (!e.getValue().isNull()) {
                copy.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        return new ContainerConfig(copy);
    }

    /** Compact JSON, fields in Docker's order, absent fields omitted: the GVMI trailer payload. */
    public String toJson() {
        ObjectNode ordered = JsonNodeFactory.instance.objectNode();
        for (String name : DOCKER_FIELD_ORDER) {
            if (fields.has(name)) {
                ordered.set(name, fields.get(name));
            }
        }
        fields.properties().forEach(e -> {
            if (!ordered.has(e.getKey())) {
                ordered.set(e.getKey(), e.getValue());
            }
        });
        try {
            return JSON.writeValueAsString(ordered);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** The config as a JSON tree (a copy), for APIs that embed it. */
    public ObjectNode toJsonNode() {
        return fields.deepCopy();
    }

    /** {@code Env}: "KEY=value" entries in image order. */
    public List<String> env() {
        return strings("Env");
    }

    /** {@code Env} as a map; a later entry for the same key wins, as in Docker. */
    public Map<String, String> envMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : env()) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                map.put(entry, "");
            } else {
                map.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return map;
    }

    public List<String> cmd() {
        return strings("Cmd");
    }

    public List<String> entrypoint() {
        return strings("Entrypoint");
    }

    public Optional<String> workingDir() {
        return text("WorkingDir");
    }

    /** {@code User} as written in the image: a name, "uid", or "uid:gid". */
    public Optional<String> user() {
        return text("User");
    }

    /** {@code Volumes}: the paths where a provider mounts an empty host directory, in image order. */
    public List<String> volumes() {
        JsonNode node = fields.get("Volumes");
        List<String> paths = new ArrayList<>();
        if (node != null && node.isObject()) {
            node.fieldNames().forEachRemaining(paths::add);
        }
        return List.copyOf(paths);
    }

    public Map<String, String> labels() {
        JsonNode node = fields.get("Labels");
        Map<String, String> labels = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        return labels;
    }

    public ContainerConfig withEnv(List<String> env) {
        return with("Env", stringArray(env));
    }

    public ContainerConfig withCmd(List<String> cmd) {
        return with("Cmd", stringArray(cmd));
    }

    public ContainerConfig withEntrypoint(List<String> entrypoint) {
        return with("Entrypoint", stringArray(entrypoint));
    }

    public ContainerConfig withWorkingDir(String workingDir) {
        return with("WorkingDir", workingDir == null ? null : JsonNodeFactory.instance.textNode(workingDir));
    }

    public ContainerConfig withUser(String user) {
        return with("User", user == null ? null : JsonNodeFactory.instance.textNode(user));
    }

    public ContainerConfig withVolumes(List<String> paths) {
        if (paths == null) {
            return with("Volumes", null);
        }
        ObjectNode volumes = JsonNodeFactory.instance.objectNode();
        paths.forEach(p -> volumes.set(p, JsonNodeFactory.instance.objectNode()));
        return with("Volumes", volumes);
    }

    public ContainerConfig withLabels(Map<String, String> labels) {
        if (labels == null) {
            return with("Labels", null);
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        labels.forEach(node::put);
        return with("Labels", node);
    }

    private ContainerConfig with(String name, JsonNode value) {
        ObjectNode copy = fields.deepCopy();
        if (value == null) {
            copy.remove(name);
        } else {
            copy.set(name, value);
        }
        return new ContainerConfig(copy);
    }

    private static ArrayNode stringArray(List<String> values) {
        if (values == null) {
            return null;
        }
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private Optional<String> text(String name) {
        JsonNode node = fields.get(name);
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    private List<String> strings(String name) {
        JsonNode node = fields.get(name);
        List<String> values = new ArrayList<>();
        if (node != null && node.isArray()) {
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                values.add(it.next().asText());
            }
        }
        return List.copyOf(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContainerConfig other && fields.equals(other.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
