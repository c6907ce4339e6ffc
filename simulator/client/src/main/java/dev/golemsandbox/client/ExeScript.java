package dev.golemsandbox.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * An ExeScript batch: the JSON array of commands an activity executes in order.
 *
 * <pre>{@code
 * ExeScript batch = new ExeScript().run("/bin/sh", "-c", "echo hi > /golem/work/a").run("/bin/cat", "/golem/work/a");
 * }</pre>
 */
public final class ExeScript {

    private final ArrayNode commands = YagnaHttp.JSON.createArrayNode();

    /** A batch from ExeScript JSON text, as a requestor sends it (a JSON array). */
    public static ExeScript parse(String json) {
        JsonNode node;
        try {
            node = YagnaHttp.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("ExeScript is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("ExeScript must be a JSON array of commands");
        }
        ExeScript script = new ExeScript();
        node.forEach(c -> script.commands.add(c.deepCopy()));
        return script;
    }

    public ExeScript deploy() {
        commands.addObject().putObject("deploy");
        return this;
    }

    public ExeScript start() {
        commands.addObject().putObject("start");
        return this;
    }

    /** A {@code run} command capturing stdout and stderr as strings at its end. */
    public ExeScript run(String entryPoint, String... args) {
        return run(entryPoint, List.of(args), Map.of());
    }

    public ExeScript run(String entryPoint, List<String> args, Map<String, String> env) {
        ObjectNode run = commands.addObject().putObject("run");
        run.put("entry_point", entryPoint);
        ArrayNode argNodes = run.putArray("args");
        args.forEach(argNodes::add);
        if (!env.isEmpty()) {
            ObjectNode envNode = run.putObject("env");
            env.forEach(envNode::put);
        }
        ObjectNode capture = run.putObject("capture");
        capture.putObject("stdout").putObject("atEnd").put("format", "string");
        capture.putObject("stderr").putObject("atEnd").put("format", "string");
        return this;
    }

    /** {@code /bin/sh -c line}. */
    public ExeScript shell(String line) {
        return run("/bin/sh", "-c", line);
    }

    public ExeScript transfer(String from, String to) {
        ObjectNode transfer = commands.addObject().putObject("transfer");
        transfer.put("from", from);
        transfer.put("to", to);
        return this;
    }

    /** Any command object, e.g. one read from a recording. */
    public ExeScript command(JsonNode command) {
        commands.add(command.deepCopy());
        return this;
    }

    public int size() {
        return commands.size();
    }

    /** The ExeScript text the activity API expects in {@code {"text": ...}}. */
    public String toJson() {
        return commands.toString();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
