package dev.golemsandbox.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.golemsandbox.blob.ContentHash;
import dev.golemsandbox.replay.RequestorScript.ImageRef;
import dev.golemsandbox.replay.RequestorScript.ScriptActivity;
import dev.golemsandbox.replay.RequestorScript.ScriptBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads the JSON of a {@link RequestorScript}, naming the JSON path of the first problem. */
final class ScriptParser {

    private static final Set<String> STREAMS = Set.of("stdout", "stderr", "both");

    private final Path file;

    ScriptParser(Path file) {
        this.file = file;
    }

    RequestorScript parse(JsonNode root) throws ScriptFormatException {
        object(root, "$");
        String format = root.path("format").asText(null);
        if (!RequestorScript.FORMAT.equals(format)) {
            throw fail("$.format", "must be \"" + RequestorScript.FORMAT + "\", found " + root.get("format"));
        }
        JsonNode image = object(root.get("image"), "$.image");
        String tag = image.path("tag").asText(null);
        String hash = image.path("hash").asText(null);
        if (tag == null && hash == null) {
            throw fail("$.image", "needs a \"tag\" or a \"hash\"");
        }
        if (hash != null && !hash.matches("[0-9a-f]{56}")) {
            throw fail("$.image.hash", "must be a SHA3-224 hash (56 hex characters)");
        }
        List<OutputMask> masks = new ArrayList<>();
        JsonNode maskNodes = root.get("masks");
        if (maskNodes != null) {
            array(maskNodes, "$.masks");
            for (int i = 0; i < maskNodes.size(); i++) {
                masks.add(mask(maskNodes.get(i), "$.masks[" + i + "]"));
            }
        }
        JsonNode activityNodes = array(root.get("activities"), "$.activities");
        if (activityNodes.isEmpty()) {
            throw fail("$.activities", "needs at least one activity");
        }
        List<ScriptActivity> activities = new ArrayList<>();
        for (int a = 0; a < activityNodes.size(); a++) {
            String at = "$.activities[" + a + "]";
            JsonNode batchNodes = array(object(activityNodes.get(a), at).get("batches"), at + ".batches");
            List<ScriptBatch> batches = new ArrayList<>();
            for (int b = 0; b < batchNodes.size(); b++) {
                batches.add(batch(batchNodes.get(b), at + ".batches[" + b + "]"));
            }
            activities.add(new ScriptActivity(batches));
        }
        return new RequestorScript(root.path("description").asText(null), new ImageRef(tag, hash), masks, activities);
    }

    private ScriptBatch batch(JsonNode node, String at) throws ScriptFormatException {
        object(node, at);
        ArrayNode exeScript = (ArrayNode) array(node.get("exeScript"), at + ".exeScript");
        if (exeScript.isEmpty()) {
            throw fail(at + ".exeScript", "needs at least one command");
        }
        for (int c = 0; c < exeScript.size(); c++) {
            JsonNode command = exeScript.get(c);
            if (!command.isObject() || command.size() != 1) {
                throw fail(at + ".exeScript[" + c + "]", "a command is an object with one key, e.g. {\"run\": {...}}");
            }
        }
        List<RecordedResult> results = new ArrayList<>();
        JsonNode resultNodes = node.get("results");
        if (resultNodes != null) {
            array(resultNodes, at + ".results");
            for (int r = 0; r < resultNodes.size(); r++) {
                JsonNode result = object(resultNodes.get(r), at + ".results[" + r + "]");
                if (!result.path("result").isTextual()) {
                    throw fail(at + ".results[" + r + "].result", "must be \"Ok\" or \"Error\"");
                }
                results.add(recordedResult(result, at + ".results[" + r + "]"));
            }
        }
        List<Expectation> expect = new ArrayList<>();
        JsonNode expectNodes = node.get("expect");
        if (expectNodes != null) {
            array(expectNodes, at + ".expect");
            for (int e = 0; e < expectNodes.size(); e++) {
                expect.add(expectation(expectNodes.get(e), at + ".expect[" + e + "]", exeScript.size()));
            }
        }
        return new ScriptBatch(exeScript, results, expect);
    }

    private RecordedResult recordedResult(JsonNode node, String at) throws ScriptFormatException {
        return new RecordedResult(node.path("index").asInt(), node.path("result").asText(),
                node.hasNonNull("exitCode") ? node.get("exitCode").asInt() : null,
                text(node, "stdout"), text(node, "stderr"), text(node, "message"),
                content(node.get("upload"), "blob", at + ".upload"), content(node.get("download"), "sha256", at + ".download"));
    }

    /**
     * A file by hash and size. An upload names its blob by hash: anything else (a path such as
     * {@code ../../etc/passwd}) is refused here, before a replay could look for it.
     */
    private ContentHash content(JsonNode node, String hashField, String at) throws ScriptFormatException {
        if (node == null || node.isNull()) {
            return null;
        }
        object(node, at);
        String hash = node.path(hashField).asText(null);
        if (!ContentHash.isSha256(hash)) {
            throw fail(at + "." + hashField, "must be a sha256 (64 lowercase hex characters), found " + node.get(hashField));
        }
        JsonNode size = node.get("size");
        if (size == null || !size.canConvertToLong() || size.asLong() < 0) {
            throw fail(at + ".size", "must be the file's size in bytes");
        }
        return new ContentHash(hash, size.asLong());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private Expectation expectation(JsonNode node, String at, int commands) throws ScriptFormatException {
        object(node, at);
        if (node.has("file")) {
            String path = node.get("file").asText();
            if (!path.startsWith("/")) {
                throw fail(at + ".file", "must be an absolute path in the VM");
            }
            Boolean exists = node.has("exists") ? node.get("exists").asBoolean() : null;
            String sha256 = node.path("sha256").asText(null);
            if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
                throw fail(at + ".sha256", "must be 64 lowercase hex characters");
            }
            if (exists == null && sha256 == null) {
                throw fail(at, "a file expectation needs \"exists\" or \"sha256\"");
            }
            return new Expectation.OfFile(path, exists, sha256);
        }
        if (!node.path("command").canConvertToInt()) {
            throw fail(at, "needs \"command\" (the index of a command in the batch) or \"file\"");
        }
        int command = node.get("command").asInt();
        if (command < 0 || command >= commands) {
            throw fail(at + ".command", "the batch has commands 0.." + (commands - 1) + ", not " + command);
        }
        String result = node.path("result").asText(null);
        if (result != null && !result.equals("Ok") && !result.equals("Error")) {
            throw fail(at + ".result", "must be \"Ok\" or \"Error\"");
        }
        Integer exitCode = node.hasNonNull("exitCode") ? node.get("exitCode").asInt() : null;
        Set<String> varies = new java.util.TreeSet<>();
        JsonNode variesNode = node.get("varies");
        if (variesNode != null) {
            array(variesNode, at + ".varies");
            for (JsonNode stream : variesNode) {
                if (!stream.isTextual() || !(STREAMS.contains(stream.asText()) || stream.asText().equals("download"))) {
                    throw fail(at + ".varies", "lists what varies: \"stdout\", \"stderr\", \"both\" or \"download\", found " + stream);
                }
                varies.add(stream.asText());
            }
        }
        List<OutputMask> masks = new ArrayList<>();
        JsonNode maskNodes = node.get("masks");
        if (maskNodes != null) {
            array(maskNodes, at + ".masks");
            for (int i = 0; i < maskNodes.size(); i++) {
                masks.add(mask(maskNodes.get(i), at + ".masks[" + i + "]"));
            }
        }
        return new Expectation.OfCommand(command, result, exitCode,
                matcher(node.get("stdout"), at + ".stdout"), matcher(node.get("stderr"), at + ".stderr"), varies, masks);
    }

    private TextMatcher matcher(JsonNode node, String at) throws ScriptFormatException {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return new TextMatcher(TextMatcher.Kind.EQUALS, node.asText());
        }
        object(node, at);
        if (node.size() != 1) {
            throw fail(at, "use one of {\"equals\": ..}, {\"contains\": ..}, {\"matches\": ..}");
        }
        String key = node.fieldNames().next();
        TextMatcher.Kind kind;
        switch (key) {
            case "equals" -> kind = TextMatcher.Kind.EQUALS;
            case "contains" -> kind = TextMatcher.Kind.CONTAINS;
            case "matches" -> kind = TextMatcher.Kind.MATCHES;
            default -> throw fail(at, "unknown matcher \"" + key + "\"; use equals, contains or matches");
        }
        try {
            return new TextMatcher(kind, node.get(key).asText());
        } catch (PatternSyntaxException e) {
            throw fail(at + ".matches", "invalid regex: " + e.getDescription());
        }
    }

    private OutputMask mask(JsonNode node, String at) throws ScriptFormatException {
        object(node, at);
        String stream = node.path("stream").asText("both");
        if (!STREAMS.contains(stream)) {
            throw fail(at + ".stream", "must be stdout, stderr or both");
        }
        try {
            return new OutputMask(stream, Pattern.compile(node.path("pattern").asText()), node.path("replace").asText("<masked>"));
        } catch (PatternSyntaxException e) {
            throw fail(at + ".pattern", "invalid regex: " + e.getDescription());
        }
    }

    private JsonNode object(JsonNode node, String at) throws ScriptFormatException {
        if (node == null || !node.isObject()) {
            throw fail(at, "must be a JSON object");
        }
        return node;
    }

    private JsonNode array(JsonNode node, String at) throws ScriptFormatException {
        if (node == null || !node.isArray()) {
            throw fail(at, "must be a JSON array");
        }
        return node;
    }

    private ScriptFormatException fail(String at, String problem) {
        return new ScriptFormatException(file, at, problem);
    }
}
