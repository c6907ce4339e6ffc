package dev.golemsandbox.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/** A hand-written check in a script, evaluated after its batch. */
public sealed interface Expectation permits Expectation.OfCommand, Expectation.OfFile {

    ObjectNode toJson();

    /**
     * A check of one command's result: {@code {"command": 1, "exitCode": 0, "stdout": {"equals": "hi\n"}}}.
     * Every field but {@code command} is optional. For a recorded command, {@code "varies": ["stdout"]}
     * leaves that stream's recorded output unchecked ({@code "download"}: a download is checked by
     * size only), and {@code "masks"} masks parts of it (as the
     * script's masks do, for this command only).
     */
    record OfCommand(int command, String result, Integer exitCode, TextMatcher stdout, TextMatcher stderr,
                     Set<String> varies, List<OutputMask> masks) implements Expectation {

        public OfCommand {
            varies = Set.copyOf(varies);
            masks = List.copyOf(masks);
        }

        public OfCommand(int command, String result, Integer exitCode, TextMatcher stdout, TextMatcher stderr) {
            this(command, result, exitCode, stdout, stderr, Set.of(), List.of());
        }

        /** Whether the recorded output of {@code stream} is not to be compared. */
        public boolean varies(String stream) {
            return varies.contains(stream) || varies.contains("both");
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode node = RequestorScript.JSON.createObjectNode();
            node.put("command", command);
            if (result != null) {
                node.put("result", result);
            }
            if (exitCode != null) {
                node.put("exitCode", exitCode);
            }
            if (stdout != null) {
                node.set("stdout", stdout.toJson());
            }
            if (stderr != null) {
                node.set("stderr", stderr.toJson());
            }
            if (!varies.isEmpty()) {
                varies.stream().sorted().forEach(node.putArray("varies")::add);
            }
            if (!masks.isEmpty()) {
                var maskNodes = node.putArray("masks");
                masks.forEach(mask -> maskNodes.add(mask.toJson()));
            }
            return node;
        }
    }

    /**
     * A check of a file in the VM: {@code {"file": "/golem/work/a", "exists": true, "sha256": "..."}}.
     * Checked by running {@code /bin/sh} and {@code sha256sum} in the VM, so the image needs them.
     */
    record OfFile(String path, Boolean exists, String sha256) implements Expectation {
        @Override
        public ObjectNode toJson() {
            ObjectNode node = RequestorScript.JSON.createObjectNode();
            node.put("file", path);
            if (exists != null) {
                node.put("exists", exists);
            }
            if (sha256 != null) {
                node.put("sha256", sha256);
            }
            return node;
        }
    }
}
