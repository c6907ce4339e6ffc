package dev.golemsandbox.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The routes the yagna specs do not describe: the sandbox's own, the image registry's, and the
 * calls golem-js makes with bodies it really sends (so mutations start from realistic requests).
 */
final class SandboxRoutes {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    static final List<OpenApiOperations.Operation> ALL = List.of(
            op("GET", "/_sandbox/health"),
            op("GET", "/_sandbox/ready"),
            op("GET", "/_sandbox/info"),
            op("GET", "/_sandbox/activities"),
            op("GET", "/_sandbox/activities/{id}", path("id")),
            op("POST", "/_sandbox/activities/{id}/recording", path("id")),
            op("GET", "/_sandbox/activities/{id}/batches", path("id")),
            op("GET", "/_sandbox/recordings"),
            op("GET", "/_sandbox/recordings/{name}", path("name")),
            op("GET", "/_sandbox/faults"),
            op("DELETE", "/_sandbox/faults/{id}", path("id")),
            new OpenApiOperations.Operation("POST", "/_sandbox/faults", List.of(), object(
                    "fault", JSON.objectNode().put("type", "string").set("enum", JSON.arrayNode()
                            .add("slow-exec").add("crash-vm").add("terminate").add("reject-proposals").add("no-approval").add("drop-stream").add("no-invoice").add("debit-note-storm")),
                    "latencyMs", JSON.objectNode().put("type", "integer"))),
            op("GET", "/_sandbox/dashboard"),
            op("GET", "/_sandbox/dashboard/{file}", path("file")),
            op("GET", "/_sandbox/market/demands/{id}/explain", path("id")),
            new OpenApiOperations.Operation("POST", "/_sandbox/market/explain", List.of(), object(
                    "properties", JSON.objectNode().put("type", "object"), "constraints", string())),
            new OpenApiOperations.Operation("POST", "/_sandbox/manifest/check", List.of(), object(
                    "manifest", string(), "signature", string())),
            op("GET", "/v1/image/info", query("tag"), query("hash"), query("count"), query("dev")),
            op("GET", "/v1/image/download", query("tag"), query("hash")),
            op("GET", "/download/{hash}", path("hash")),
            op("POST", "/v1/image/push", query("tag"), query("hash")),
            op("GET", "/me"),
            op("GET", "/version/get"),
            new OpenApiOperations.Operation("POST", "/activity-api/v1/activity/{id}/exec", List.of(path("id")),
                    object("text", JSON.objectNode().put("type", "string").set("enum", JSON.arrayNode()
                            .add("[{\"deploy\":{}},{\"start\":{}}]")
                            .add("[{\"run\":{\"entry_point\":\"/bin/sh\",\"args\":[\"-c\",\"echo hi\"],\"capture\":{\"stdout\":{\"atEnd\":{\"format\":\"string\"}}}}}]")
                            .add("[{\"transfer\":{\"from\":\"container:/golem/output/x\",\"to\":\"http://127.0.0.1:1/x\"}}]")
                            .add("[{\"terminate\":{}}]")))),
            new OpenApiOperations.Operation("POST", "/activity-api/v1/activity", List.of(), object(
                    "agreementId", string())));

    private SandboxRoutes() {
    }

    private static OpenApiOperations.Operation op(String method, String path, OpenApiOperations.Parameter... parameters) {
        return new OpenApiOperations.Operation(method, path, List.of(parameters), null);
    }

    private static OpenApiOperations.Parameter path(String name) {
        return new OpenApiOperations.Parameter(name, "path", string());
    }

    private static OpenApiOperations.Parameter query(String name) {
        return new OpenApiOperations.Parameter(name, "query", string());
    }

    private static ObjectNode string() {
        return JSON.objectNode().put("type", "string");
    }

    private static JsonNode object(String k1, JsonNode v1, String k2, JsonNode v2) {
        ObjectNode schema = JSON.objectNode().put("type", "object");
        schema.putObject("properties").set(k1, v1);
        ((ObjectNode) schema.get("properties")).set(k2, v2);
        return schema;
    }

    private static JsonNode object(String k1, JsonNode v1) {
        ObjectNode schema = JSON.objectNode().put("type", "object");
        schema.putObject("properties").set(k1, v1);
        return schema;
    }
}
