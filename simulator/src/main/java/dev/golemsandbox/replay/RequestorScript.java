package dev.golemsandbox.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A requestor session as plain JSON: the image, then for each activity the ExeScript batches sent
 * to it, with the results recorded for them and/or expectations written by hand. A recording made
 * by the sandbox and a hand-written script share this one format (see README, "Record and
 * replay").
 *
 * <pre>{@code
 * RequestorScript script = RequestorScript.read(Path.of("persistence.json"));
 * }</pre>
 */
public record RequestorScript(String description, ImageRef image, List<OutputMask> masks, List<ScriptActivity> activities) {

    /** The value of the {@code format} field of every script. */
    public static final String FORMAT = "golem-sandbox-script/1";

    static final ObjectMapper JSON = Json.mapper();

    public RequestorScript {
        masks = List.copyOf(masks);
        activities = List.copyOf(activities);
    }

    /** The image every activity of the script runs: a registry tag, a hash, or both. */
    public record ImageRef(String tag, String hash) {
    }

    /** One activity: a fresh VM, and the batches sent to it in order. */
    public record ScriptActivity(List<ScriptBatch> batches) {
        public ScriptActivity {
            batches = List.copyOf(batches);
        }
    }

    /**
     * One ExeScript batch.
     *
     * @param exeScript the commands, exactly as sent
     * @param results   the results recorded for them (empty in hand-written scripts)
     * @param expect    hand-written expectations, checked after the batch
     */
    public record ScriptBatch(ArrayNode exeScript, List<RecordedResult> results, List<Expectation> expect) {
        public ScriptBatch {
            results = List.copyOf(results);
            expect = List.copyOf(expect);
        }
    }

    /** Reads and validates a script; errors name the file and the JSON path of the problem. */
    public static RequestorScript read(Path file) throws ScriptFormatException {
        JsonNode root;
        try {
            root = JsonMapper.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ScriptFormatException(file, "", "not readable JSON: " + firstLine(e.getMessage()));
        }
        return new ScriptParser(file).parse(root);
    }

    /** The script as JSON, in the documented format. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        if (description != null) {
            root.put("description", description);
        }
        ObjectNode imageNode = root.putObject("image");
        if (image.tag() != null) {
            imageNode.put("tag", image.tag());
        }
        if (image.hash() != null) {
            imageNode.put("hash", image.hash());
        }
        if (!masks.isEmpty()) {
            ArrayNode maskNodes = root.putArray("masks");
            masks.forEach(m -> maskNodes.add(m.toJson()));
        }
        ArrayNode activityNodes = root.putArray("activities");
        for (ScriptActivity activity : activities) {
            ArrayNode batchNodes = activityNodes.addObject().putArray("batches");
            for (ScriptBatch batch : activity.batches()) {
                ObjectNode batchNode = batchNodes.addObject();
                batchNode.set("exeScript", batch.exeScript());
                if (!batch.results().isEmpty()) {
                    ArrayNode resultNodes = batchNode.putArray("results");
                    batch.results().forEach(r -> resultNodes.add(r.toJson()));
                }
                if (!batch.expect().isEmpty()) {
                    ArrayNode expectNodes = batchNode.putArray("expect");
                    batch.expect().forEach(e -> expectNodes.add(e.toJson()));
                }
            }
        }
        return root;
    }

    /** Total number of batches over all activities. */
    public int batchCount() {
        int count = 0;
        for (ScriptActivity activity : activities) {
            count += activity.batches().size();
        }
        return count;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
