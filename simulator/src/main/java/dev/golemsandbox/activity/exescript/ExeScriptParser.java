package dev.golemsandbox.activity.exescript;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.http.JsonFields;
import dev.golemsandbox.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the {@code text} of an exec request into a {@link ParsedScript}, or refuses it with a
 * message that names the command and the field. Fields a provider would ignore are ignored here
 * too (golem-js sends some, e.g. {@code args} in transfers); fields it reads are checked.
 *
 * <pre>{@code
 * ParsedScript script = new ExeScriptParser().parse("[{\"deploy\":{}},{\"start\":{}}]");
 * }</pre>
 */
public final class ExeScriptParser {

    /** The commands of the ExeScript language, in the order the activity API lists them. */
    public static final List<String> COMMANDS = List.of("deploy", "start", "run", "transfer", "terminate", "sign");

    private static final Set<String> ARCHIVE_FORMATS = Set.of("tar", "tar.gz", "tgz", "tar.bz2", "tar.xz", "zip");
    private static final Pattern ZIP_WITH_LEVEL = Pattern.compile("zip\\.[0-9]");
    private static final ObjectMapper JSON = Json.mapper();
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");

    /**
     * Parses a whole batch.
     *
     * @throws InvalidExeScriptException for anything a provider would refuse, with the reason
     */
    public ParsedScript parse(String text) {
        JsonNode root;
        try {
            root = JsonMapper.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new InvalidExeScriptException("ExeScript is not valid JSON" + where + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new InvalidExeScriptException(
                    "ExeScript must be a JSON array of commands, e.g. [{\"deploy\":{}},{\"start\":{}}]");
        }
        if (root.isEmpty()) {
            throw new InvalidExeScriptException("ExeScript has no commands");
        }
        List<ParsedScript.Step> steps = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            steps.add(step(i, root.get(i)));
        }
        return new ParsedScript(steps);
    }

    private ParsedScript.Step step(int index, JsonNode node) {
        if (!node.isObject() || node.size() != 1) {
            throw new InvalidExeScriptException("ExeScript command " + index
                    + " must be an object with one key naming the command, e.g. {\"run\":{...}}; got " + node);
        }
        String name = node.fieldNames().next();
        JsonNode body = node.get(name);
        if (!COMMANDS.contains(name)) {
            throw new InvalidExeScriptException("ExeScript command " + index + ": unknown command \"" + name
                    + "\"; the commands are " + String.join(", ", COMMANDS));
        }
        Fields fields = new Fields(index, name, body);
        ExeCommand command = switch (name) {
            case "deploy" -> deploy(fields);
            case "start" -> new ExeCommand.Start(fields.strings("args"));
            case "run" -> run(fields);
            case "transfer" -> transfer(fields);
            case "terminate" -> new ExeCommand.Terminate();
            case "sign" -> throw fields.error("is not supported: the sandbox's providers have no signing keys"
                    + " (sign only works on providers that sign their results)");
            default -> throw new IllegalStateException("unhandled command " + name);
        };
        return new ParsedScript.Step(command, (ObjectNode) node);
    }

    private static ExeCommand.Deploy deploy(Fields fields) {
        List<String> volumes = new ArrayList<>();
        JsonNode volumesNode = fields.optional("volumes");
        if (volumesNode != null) {
            if (volumesNode.isArray()) {
                volumes.addAll(fields.strings("volumes"));
            } else if (volumesNode.isObject()) {
                volumesNode.fieldNames().forEachRemaining(volumes::add);
            } else {
                throw fields.error("\"volumes\" must be an array of paths or an object keyed by path");
            }
        }
        List<ExeCommand.Deploy.Network> networks = new ArrayList<>();
        JsonNode net = fields.optional("net");
        if (net != null) {
            if (!net.isArray()) {
                throw fields.error("\"net\" must be an array of networks, e.g. [{\"id\":..,\"ip\":..,\"mask\":..,\"nodeIp\":..}]");
            }
            for (JsonNode network : net) {
                networks.add(network(fields, network));
            }
        }
        Map<String, String> hosts = new LinkedHashMap<>();
        fields.stringMap("hosts").forEach((name, ip) -> {
            // Each entry becomes a line of the VM's /etc/hosts: nothing in it may break the line.
            if (!HOST_NAME.matcher(name).matches() || !IPV4.matcher(ip).matches()) {
                throw fields.error("\"hosts\" maps host names to IPv4 addresses, e.g. {\"db\":\"192.168.0.2\"}; got "
                        + JSON.valueToTree(name) + ": " + JSON.valueToTree(ip));
            }
            hosts.put(ip, name);
        });
        return new ExeCommand.Deploy(volumes, networks, hosts);
    }

    private static ExeCommand.Deploy.Network network(Fields fields, JsonNode network) {
        if (!network.isObject()) {
            throw fields.error("every entry of \"net\" must be an object with \"id\", \"ip\" and \"nodeIp\"");
        }
        String id = text(fields, network, "id", true);
        String ip = text(fields, network, "ip", true);
        String nodeIp = text(fields, network, "nodeIp", true);
        Map<String, String> nodes = new LinkedHashMap<>();
        JsonNode nodesNode = network.get("nodes");
        if (nodesNode != null && !nodesNode.isNull()) {
            if (!nodesNode.isObject()) {
                throw fields.error("\"nodes\" of a network must be an object of node ids by address");
            }
            nodesNode.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    throw fields.error("\"nodes\" of a network must map addresses to node id strings");
                }
                nodes.put(e.getKey(), e.getValue().asText());
            });
        }
        return new ExeCommand.Deploy.Network(id, ip, text(fields, network, "mask", false), text(fields, network, "gateway", false),
                nodeIp, nodes);
    }

    private static String text(Fields fields, JsonNode object, String field, boolean required) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw fields.error("every entry of \"net\" needs a string \"" + field + "\"");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw fields.error("\"" + field + "\" of a network must be a string");
        }
        return value.asText();
    }

    private static ExeCommand.Run run(Fields fields) {
        String entryPoint = fields.requiredString("entry_point",
                "the absolute path of the program in the image, e.g. \"/bin/sh\"");
        List<String> args = fields.strings("args");
        Map<String, String> env = fields.stringMap("env");
        JsonNode capture = fields.optional("capture");
        Capture stdout = Capture.DISCARD;
        Capture stderr = Capture.DISCARD;
        if (capture != null) {
            if (!capture.isObject()) {
                throw fields.error("\"capture\" must be an object with \"stdout\" and/or \"stderr\"");
            }
            stdout = captureMode(fields, "stdout", capture.get("stdout"));
            stderr = captureMode(fields, "stderr", capture.get("stderr"));
        }
        return new ExeCommand.Run(entryPoint, args, env, stdout, stderr);
    }

    private static Capture captureMode(Fields fields, String stream, JsonNode mode) {
        if (mode == null || mode.isNull()) {
            return Capture.DISCARD;
        }
        String where = "\"capture." + stream + "\"";
        boolean atEnd = mode.has("atEnd");
        boolean streamed = mode.has("stream");
        if (!mode.isObject() || atEnd == streamed) {
            throw fields.error(where + " must be {\"atEnd\":{...}} or {\"stream\":{...}}");
        }
        JsonNode body = mode.get(atEnd ? "atEnd" : "stream");
        if (body.isNull()) {
            body = JSON.createObjectNode();
        }
        String mode2 = where + "." + (atEnd ? "atEnd" : "stream");
        if (!body.isObject()) {
            throw fields.error(mode2 + " must be an object");
        }
        boolean binary = format(fields, mode2, body.get("format"));
        if (streamed) {
            return Capture.stream(size(fields, mode2 + ".limit", body.get("limit")), binary);
        }
        JsonNode partNode = body.has("part") && !body.get("part").isNull() ? body.get("part") : body;
        if (!partNode.isObject()) {
            throw fields.error(mode2 + ".part must be an object such as {\"head\":1024}");
        }
        Long head = size(fields, mode2 + ".head", partNode.get("head"));
        Long tail = size(fields, mode2 + ".tail", partNode.get("tail"));
        Long headTail = size(fields, mode2 + ".headTail", partNode.get("headTail"));
        int parts = (head != null ? 1 : 0) + (tail != null ? 1 : 0) + (headTail != null ? 1 : 0);
        if (parts > 1) {
            throw fields.error(mode2 + " may name only one of \"head\", \"tail\" and \"headTail\"");
        }
        if (head != null) {
            return Capture.head(head, binary);
        }
        if (tail != null) {
            return Capture.tail(tail, binary);
        }
        if (headTail != null) {
            return Capture.headTail(headTail, binary);
        }
        return Capture.atEnd(binary);
    }

    private static boolean format(Fields fields, String where, JsonNode format) {
        if (format == null || format.isNull()) {
            return false;
        }
        String value = format.isTextual() ? format.asText() : "";
        return switch (value) {
            case "string", "str" -> false;
            case "binary", "bin" -> true;
            default -> throw fields.error(where + ".format must be \"string\" or \"binary\", got " + format);
        };
    }

    private static Long size(Fields fields, String where, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
            throw fields.error(where + " must be a whole number of bytes, 0 or more; got " + value);
        }
        return value.asLong();
    }

    private static ExeCommand.Transfer transfer(Fields fields) {
        String from = fields.requiredString("from", "where to copy from, e.g. \"gftp://<node>/<id>\"");
        String to = fields.requiredString("to", "where to copy to, e.g. \"container:/golem/input/data\"");
        checkUrl(fields, "from", from);
        checkUrl(fields, "to", to);
        Optional<String> format = Optional.ofNullable(fields.optionalString("format"));
        format.ifPresent(f -> {
            if (!ARCHIVE_FORMATS.contains(f) && !ZIP_WITH_LEVEL.matcher(f).matches()) {
                throw fields.error("\"format\" must be one of tar, tar.gz, tgz, tar.bz2, tar.xz, zip, zip.<0-9>; got \""
                        + f + "\"");
            }
        });
        Optional<Integer> depth = Optional.empty();
        JsonNode depthNode = fields.optional("depth");
        if (depthNode != null) {
            if (!depthNode.isIntegralNumber() || !depthNode.canConvertToInt() || depthNode.asInt() < 0) {
                throw fields.error("\"depth\" must be a whole number, 0 or more; got " + depthNode);
            }
            depth = Optional.of(depthNode.asInt());
        }
        return new ExeCommand.Transfer(from, to, format, depth, fileSets(fields));
    }

    private static void checkUrl(Fields fields, String field, String value) {
        try {
            TransferUrl.parse(value);
        } catch (IllegalArgumentException e) {
            throw fields.error("\"" + field + "\" " + e.getMessage());
        }
    }

    private static List<ExeCommand.FileSet> fileSets(Fields fields) {
        JsonNode node = fields.optional("fileset");
        List<ExeCommand.FileSet> sets = new ArrayList<>();
        if (node == null) {
            return sets;
        }
        if (node.isArray()) {
            for (JsonNode entry : node) {
                sets.add(fileSet(fields, entry));
            }
        } else {
            sets.add(fileSet(fields, node));
        }
        return sets;
    }

    private static ExeCommand.FileSet fileSet(Fields fields, JsonNode entry) {
        if (entry.isTextual()) {
            return new ExeCommand.FileSet(List.of(entry.asText()), List.of());
        }
        if (!entry.isObject()) {
            throw fields.error("\"fileset\" entries must be glob patterns or {\"includes\":[..],\"excludes\":[..]}");
        }
        return new ExeCommand.FileSet(patterns(fields, entry.get("includes")), patterns(fields, entry.get("excludes")));
    }

    private static List<String> patterns(Fields fields, JsonNode node) {
        List<String> patterns = new ArrayList<>();
        if (node == null || node.isNull()) {
            return patterns;
        }
        if (node.isTextual()) {
            patterns.add(node.asText());
            return patterns;
        }
        if (!node.isArray()) {
            throw fields.error("\"fileset\" includes and excludes must be a glob pattern or an array of them");
        }
        for (JsonNode pattern : node) {
            if (!pattern.isTextual()) {
                throw fields.error("\"fileset\" patterns must be strings; got " + pattern);
            }
            patterns.add(pattern.asText());
        }
        return patterns;
    }

    /** The body of one command, with checked accessors whose errors name the command. */
    private static final class Fields implements JsonFields.Wording {
        private final int index;
        private final String command;
        private final JsonFields fields;

        Fields(int index, String command, JsonNode body) {
            this.index = index;
            this.command = command;
            JsonNode object = body == null || body.isNull() ? JSON.createObjectNode() : body;
            if (!object.isObject()) {
                throw error("the body must be an object, e.g. {\"" + command + "\":{}}; got " + body);
            }
            this.fields = new JsonFields(object, this);
        }

        InvalidExeScriptException error(String problem) {
            return new InvalidExeScriptException("ExeScript command " + index + " (" + command + "): " + problem);
        }

        @Override
        public RuntimeException missing(String field) {
            return error("\"" + field + "\" is required");
        }

        @Override
        public RuntimeException wrongType(String field, String expected, JsonNode got) {
            return error("\"" + field + "\" must be " + expected + "; got " + got);
        }

        @Override
        public RuntimeException wrongElement(String field, String expected, JsonNode element) {
            return error("\"" + field + "\" must be " + expected + "; element " + element + " is not");
        }

        JsonNode optional(String field) {
            return fields.optional(field);
        }

        String requiredString(String field, String what) {
            JsonNode value = optional(field);
            if (value == null) {
                throw error("\"" + field + "\" is required: " + what);
            }
            if (!value.isTextual() || value.asText().isEmpty()) {
                throw error("\"" + field + "\" must be a non-empty string: " + what + "; got " + value);
            }
            return value.asText();
        }

        String optionalString(String field) {
            return fields.optionalString(field);
        }

        List<String> strings(String field) {
            return fields.strings(field);
        }

        Map<String, String> stringMap(String field) {
            return fields.stringMap(field);
        }
    }
}
