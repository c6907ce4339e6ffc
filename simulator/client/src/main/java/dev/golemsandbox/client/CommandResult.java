package dev.golemsandbox.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The result of one ExeScript command, as the activity API reports it.
 *
 * @param index   position of the command in its batch
 * @param result  "Ok" or "Error"
 * @param stdout  captured stdout, or null when not captured
 * @param stderr  captured stderr, or null when not captured
 * @param message the error message of a failed command, or null
 */
public record CommandResult(int index, String result, String stdout, String stderr, String message) {

    private static final Pattern EXIT_CODE = Pattern.compile("exited with code (-?\\d+)");

    static CommandResult fromJson(JsonNode node) {
        return new CommandResult(node.path("index").asInt(), node.path("result").asText(),
                textOrNull(node.get("stdout")), textOrNull(node.get("stderr")), textOrNull(node.get("message")));
    }

    public boolean ok() {
        return "Ok".equals(result);
    }

    /** The exit code of a {@code run} command: 0 when Ok, else the code named in the message, if any. */
    public OptionalInt exitCode() {
        if (ok()) {
            return OptionalInt.of(0);
        }
        if (message != null) {
            Matcher m = EXIT_CODE.matcher(message);
            if (m.find()) {
                return OptionalInt.of(Integer.parseInt(m.group(1)));
            }
        }
        return OptionalInt.empty();
    }

    /** stdout, or "" when nothing was captured. */
    public String stdoutText() {
        return stdout == null ? "" : stdout;
    }

    /** stderr, or "" when nothing was captured. */
    public String stderrText() {
        return stderr == null ? "" : stderr;
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
