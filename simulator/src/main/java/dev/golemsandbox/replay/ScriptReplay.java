package dev.golemsandbox.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.CommandResult;
import dev.golemsandbox.client.ExeScript;
import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.replay.RequestorScript.ScriptActivity;
import dev.golemsandbox.replay.RequestorScript.ScriptBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs a {@link RequestorScript} against a sandbox (or any yagna daemon), each activity on a fresh
 * activity of one rental, and checks every command against what was recorded and expected.
 *
 * <pre>{@code
 * ReplayReport report = new ScriptReplay(requestor).run(RequestorScript.read(file));
 * report.print(System.out);
 * }</pre>
 */
public final class ScriptReplay {

    private final GolemRequestor requestor;

    public ScriptReplay(GolemRequestor requestor) {
        this.requestor = requestor;
    }

    public ReplayReport run(RequestorScript script) {
        ReplayReport report = new ReplayReport();
        Instant started = Instant.now();
        RentalSpec spec = script.image().hash() != null
                ? RentalSpec.imageHash(script.image().hash())
                : RentalSpec.imageTag(script.image().tag());
        try (Rental rental = requestor.rent(spec)) {
            for (int a = 0; a < script.activities().size(); a++) {
                ScriptActivity scriptActivity = script.activities().get(a);
                try (Activity activity = rental.newActivity()) {
                    for (int b = 0; b < scriptActivity.batches().size(); b++) {
                        replayBatch(script, activity, scriptActivity.batches().get(b), "activity " + a + ", batch " + b, report);
                    }
                }
            }
        }
        report.total(Duration.between(started, Instant.now()));
        return report;
    }

    private void replayBatch(RequestorScript script, Activity activity, ScriptBatch batch, String where, ReplayReport report) {
        boolean handWritten = batch.results().isEmpty();
        ArrayNode commands = handWritten ? withCapture(batch.exeScript()) : batch.exeScript();
        ExeScript exeScript = new ExeScript();
        commands.forEach(exeScript::command);
        Instant sent = Instant.now();
        List<CommandResult> actual = activity.exec(exeScript);
        if (startsVm(commands)) {
            report.addVmStart(Duration.between(sent, Instant.now()));
        }
        for (int i = 0; i < commands.size(); i++) {
            CommandResult result = i < actual.size() ? actual.get(i) : null;
            List<String> differences = new ArrayList<>();
            if (!handWritten) {
                RecordedResult recorded = i < batch.results().size() ? batch.results().get(i) : null;
                compareWithRecording(script, commands.get(i), recorded, result, differences);
            }
            for (Expectation expectation : batch.expect()) {
                if (expectation instanceof Expectation.OfCommand check && check.command() == i) {
                    checkCommand(check, result, differences);
                }
            }
            if (!handWritten || result != null || hasCommandExpectation(batch, i)) {
                report.add(new ReplayReport.Check(where + ", command " + i, describe(commands.get(i)), differences));
            }
        }
        for (Expectation expectation : batch.expect()) {
            if (expectation instanceof Expectation.OfFile file) {
                report.add(new ReplayReport.Check(where, describe(file), checkFile(activity, file)));
            }
        }
    }

    private static void compareWithRecording(RequestorScript script, JsonNode command, RecordedResult recorded,
                                             CommandResult actual, List<String> differences) {
        if (recorded == null && actual == null) {
            return;
        }
        if (recorded == null) {
            differences.add("result: not in the recording, but the command ran now (" + actual.result() + ")");
            return;
        }
        if (actual == null) {
            differences.add("result: expected " + recorded.result() + ", but the batch ended before this command");
            return;
        }
        if (!recorded.result().equals(actual.result())) {
            differences.add("result: expected " + recorded.result() + ", actual " + actual.result()
                    + (actual.message() == null ? "" : " (" + actual.message() + ")"));
        }
        if (recorded.exitCode() != null && actual.exitCode().isPresent() && recorded.exitCode() != actual.exitCode().getAsInt()) {
            differences.add("exit code: expected " + recorded.exitCode() + ", actual " + actual.exitCode().getAsInt());
        }
        if (command.has("run")) {
            compareStream(script, "stdout", recorded.stdout(), actual.stdout(), differences);
            compareStream(script, "stderr", recorded.stderr(), actual.stderr(), differences);
        }
    }

    private static void compareStream(RequestorScript script, String stream, String recorded, String actual, List<String> differences) {
        String expected = recorded;
        String now = actual;
        for (OutputMask mask : script.masks()) {
            expected = mask.apply(stream, expected);
            now = mask.apply(stream, now);
        }
        if (!Objects.equals(nullToEmpty(expected), nullToEmpty(now))) {
            differences.add(stream + ": expected " + Quoting.quote(expected) + ", actual " + Quoting.quote(now));
        }
    }

    private static void checkCommand(Expectation.OfCommand check, CommandResult actual, List<String> differences) {
        if (actual == null) {
            differences.add("the batch ended before this command ran");
            return;
        }
        if (check.result() != null && !check.result().equals(actual.result())) {
            differences.add("result: expected " + check.result() + ", actual " + actual.result()
                    + (actual.message() == null ? "" : " (" + actual.message() + ")"));
        }
        if (check.exitCode() != null) {
            String now = actual.exitCode().isPresent() ? String.valueOf(actual.exitCode().getAsInt()) : "unknown (" + actual.message() + ")";
            if (!now.equals(String.valueOf(check.exitCode()))) {
                differences.add("exit code: expected " + check.exitCode() + ", actual " + now);
            }
        }
        if (check.stdout() != null && !check.stdout().test(actual.stdout())) {
            differences.add("stdout: expected " + check.stdout().describe() + ", actual " + Quoting.quote(actual.stdout()));
        }
        if (check.stderr() != null && !check.stderr().test(actual.stderr())) {
            differences.add("stderr: expected " + check.stderr().describe() + ", actual " + Quoting.quote(actual.stderr()));
        }
    }

    /** Checks a file by asking the VM's shell; the check runs in its own batch after the batch it follows. */
    private static List<String> checkFile(Activity activity, Expectation.OfFile file) {
        String path = "'" + file.path().replace("'", "'\\''") + "'";
        CommandResult probe = activity.shell("if [ -e " + path + " ]; then echo present; sha256sum " + path
                + " | cut -d' ' -f1; else echo absent; fi");
        List<String> differences = new ArrayList<>();
        if (!probe.ok()) {
            differences.add("could not check the file: " + probe.message() + " " + probe.stderrText().trim());
            return differences;
        }
        String[] lines = probe.stdoutText().split("\n");
        boolean exists = lines.length > 0 && lines[0].equals("present");
        if (file.exists() != null && file.exists() != exists) {
            differences.add("file: expected it to " + (file.exists() ? "exist" : "be absent") + ", but it "
                    + (exists ? "exists" : "is absent"));
        }
        if (file.sha256() != null) {
            String actual = exists && lines.length > 1 ? lines[1].trim() : "(no file)";
            if (!file.sha256().equals(actual)) {
                differences.add("sha256: expected " + file.sha256() + ", actual " + actual);
            }
        }
        return differences;
    }

    /** Hand-written run commands without a capture get their output captured at the end, as strings. */
    private static ArrayNode withCapture(ArrayNode commands) {
        ArrayNode copy = commands.deepCopy();
        for (JsonNode command : copy) {
            JsonNode run = command.get("run");
            if (run instanceof ObjectNode runObject && !runObject.has("capture")) {
                ObjectNode capture = runObject.putObject("capture");
                capture.putObject("stdout").putObject("atEnd").put("format", "string");
                capture.putObject("stderr").putObject("atEnd").put("format", "string");
            }
        }
        return copy;
    }

    private static boolean hasCommandExpectation(ScriptBatch batch, int index) {
        return batch.expect().stream().anyMatch(e -> e instanceof Expectation.OfCommand c && c.command() == index);
    }

    private static boolean startsVm(ArrayNode commands) {
        for (JsonNode command : commands) {
            if (command.has("deploy") || command.has("start")) {
                return true;
            }
        }
        return false;
    }

    /** A command in short: {@code run /bin/sh -c "echo hi"}, {@code transfer a -> b}, {@code deploy}. */
    static String describe(JsonNode command) {
        String name = command.fieldNames().hasNext() ? command.fieldNames().next() : "?";
        JsonNode body = command.path(name);
        return switch (name) {
            case "run" -> {
                StringBuilder line = new StringBuilder("run ").append(body.path("entry_point").asText());
                for (JsonNode arg : body.path("args")) {
                    String text = arg.asText();
                    line.append(' ').append(text.matches("[\\w./=:-]+") ? text : Quoting.quote(text));
                }
                yield line.toString();
            }
            case "transfer" -> "transfer " + body.path("from").asText() + " -> " + body.path("to").asText();
            default -> name;
        };
    }

    private static String describe(Expectation.OfFile file) {
        List<String> parts = new ArrayList<>();
        if (file.exists() != null) {
            parts.add(file.exists() ? "exists" : "does not exist");
        }
        if (file.sha256() != null) {
            parts.add("has sha256 " + file.sha256().substring(0, 12) + "...");
        }
        return "file " + file.path() + " " + String.join(" and ", parts);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
