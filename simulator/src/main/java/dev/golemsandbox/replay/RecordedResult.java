package dev.golemsandbox.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The result of one command as the activity API reported it, plus the exit code of a {@code run}.
 *
 * @param index    position in the batch
 * @param result   "Ok" or "Error"
 * @param exitCode exit code of a run command, or null for other commands
 * @param stdout   captured stdout, or null
 * @param stderr   captured stderr, or null
 * @param message  error message, or null
 */
public record RecordedResult(int index, String result, Integer exitCode, String stdout, String stderr, String message) {

    public ObjectNode toJson() {
        ObjectNode node = RequestorScript.JSON.createObjectNode();
        node.put("index", index);
        node.put("result", result);
        if (exitCode != null) {
            node.put("exitCode", exitCode);
        }
        node.put("stdout", stdout);
        node.put("stderr", stderr);
        if (message != null) {
            node.put("message", message);
        }
        return node;
    }

    static RecordedResult fromJson(JsonNode node) {
        return new RecordedResult(node.path("index").asInt(), node.path("result").asText(),
                node.hasNonNull("exitCode") ? node.get("exitCode").asInt() : null,
                text(node, "stdout"), text(node, "stderr"), text(node, "message"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
