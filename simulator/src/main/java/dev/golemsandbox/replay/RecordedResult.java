package dev.golemsandbox.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.blob.ContentHash;

/**
 * The result of one command as the activity API reported it, plus the exit code of a {@code run}
 * and, for a transfer across the requestor's end, the file it moved.
 *
 * @param index    position in the batch
 * @param result   "Ok" or "Error"
 * @param exitCode exit code of a run command, or null for other commands
 * @param stdout   captured stdout, or null
 * @param stderr   captured stderr, or null
 * @param message  error message, or null
 * @param upload   what the requestor uploaded into the VM, kept as a blob of this hash; or null
 * @param download what the VM sent to the requestor, by hash; or null
 */
public record RecordedResult(int index, String result, Integer exitCode, String stdout, String stderr, String message,
                             ContentHash upload, ContentHash download) {

    public RecordedResult(int index, String result, Integer exitCode, String stdout, String stderr, String message) {
        this(index, result, exitCode, stdout, stderr, message, null, null);
    }

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
        if (upload != null) {
            node.putObject("upload").put("blob", upload.sha256()).put("size", upload.size());
        }
        if (download != null) {
            node.putObject("download").put("sha256", download.sha256()).put("size", download.size());
        }
        return node;
    }

    /** The same result with what a new run produced in place of the recorded output and outcome. */
    RecordedResult withOutcome(String newResult, Integer newExitCode, String newStdout, String newStderr,
                               String newMessage, ContentHash newDownload) {
        return new RecordedResult(index, newResult, newExitCode, newStdout, newStderr, newMessage, upload, newDownload);
    }
}
