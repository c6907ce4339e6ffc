package dev.golemsandbox.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A hand-written check in a script, evaluated after its batch. */
public sealed interface Expectation permits Expectation.OfCommand, Expectation.OfFile {

    ObjectNode toJson();

    /**
     * A check of one command's result: {@code {"command": 1, "exitCode": 0, "stdout": {"equals": "hi\n"}}}.
     * Every field but {@code command} is optional.
     */
    record OfCommand(int command, String result, Integer exitCode, TextMatcher stdout, TextMatcher stderr)
            implements Expectation {
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
