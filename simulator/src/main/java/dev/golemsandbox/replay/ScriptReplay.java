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
import dev.golemsandbox.blob.BlobStore;
import dev.golemsandbox.blob.ContentHash;
import dev.golemsandbox.replay.RequestorScript.ScriptActivity;
import dev.golemsandbox.replay.RequestorScript.ScriptBatch;
import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a {@link RequestorScript} against a sandbox (or any yagna daemon), each activity on a fresh
 * activity of one rental, and checks every command against what was recorded and expected. A
 * recorded upload is served again from the blob store beside the recording, and a recorded
 * download is compared by hash and size: the replay is the requestor's end of both, over gftp on
 * the daemon's GSB WebSocket, as golem-js moves files, so the daemon may run anywhere.
 *
 * <pre>{@code
 * ReplayReport report = new ScriptReplay(requestor).run(RequestorScript.read(file), BlobStore.beside(file.getParent()));
 * report.print(System.out);
 * }</pre>
 */
public final class ScriptReplay {

    private final GolemRequestor requestor;

    public ScriptReplay(GolemRequestor requestor) {
        this.requestor = requestor;
    }

    /**
     * Runs a script that has no recorded uploads (a hand-written one, or a recording without them).
     *
     * @throws ReplayInputException when the script has a recorded upload, which needs its blob store
     */
    public ReplayReport run(RequestorScript script) {
        return run(script, Optional.empty());
    }

    /**
     * Runs a script, serving its recorded uploads from {@code blobs}.
     *
     * @throws ReplayInputException when a blob is missing from {@code blobs} or not what its hash says
     */
    public ReplayReport run(RequestorScript script, BlobStore blobs) {
        return run(script, Optional.of(blobs));
    }

    private ReplayReport run(RequestorScript script, Optional<BlobStore> blobs) {
        Map<ContentHash, Path> uploads = verifiedUploads(script, blobs);
        ReplayReport report = new ReplayReport();
        Instant started = Instant.now();
        RentalSpec spec = script.image().hash() != null
                ? RentalSpec.imageHash(script.image().hash())
                : RentalSpec.imageTag(script.image().tag());
        try (ReplayTransfers transfers = new ReplayTransfers(requestor.apiUrl(), requestor.appKey(), requestor.identity());
             Rental rental = requestor.rent(spec)) {
            for (int a = 0; a < script.activities().size(); a++) {
                ScriptActivity scriptActivity = script.activities().get(a);
                try (Activity activity = rental.newActivity()) {
                    for (int b = 0; b < scriptActivity.batches().size(); b++) {
                        List<RecordedResult> observed = replayBatch(script, activity, scriptActivity.batches().get(b),
                                "activity " + a + ", batch " + b, report, uploads, transfers);
                        report.observed(a, b, observed);
                    }
                }
            }
        }
        report.total(Duration.between(started, Instant.now()));
        return report;
    }

    /** Every blob the script's uploads need, checked before anything runs. */
    private static Map<ContentHash, Path> verifiedUploads(RequestorScript script, Optional<BlobStore> blobs) {
        Map<ContentHash, Path> uploads = new HashMap<>();
        for (ScriptActivity activity : script.activities()) {
            for (ScriptBatch batch : activity.batches()) {
                for (RecordedResult result : batch.results()) {
                    if (result.upload() != null && blobs.isEmpty()) {
                        throw new ReplayInputException("the script has recorded uploads (" + result.upload().describe()
                                + "); replay it with the blob store beside it");
                    }
                    if (result.upload() != null && !uploads.containsKey(result.upload())) {
                        try {
                            uploads.put(result.upload(), blobs.get().verified(result.upload()));
                        } catch (NoSuchFileException e) {
                            throw new ReplayInputException("the recorded upload " + result.upload().describe()
                                    + " is not in " + blobs.get().directory()
                                    + "; copy the blobs/ directory along with the recording");
                        } catch (IOException e) {
                            throw new ReplayInputException(e.getMessage());
                        }
                    }
                }
            }
        }
        return uploads;
    }

    private List<RecordedResult> replayBatch(RequestorScript script, Activity activity, ScriptBatch batch, String where,
                                             ReplayReport report, Map<ContentHash, Path> uploads, ReplayTransfers transfers) {
        boolean handWritten = batch.results().isEmpty();
        ArrayNode commands = handWritten ? withCapture(batch.exeScript()) : batch.exeScript().deepCopy();
        Map<Integer, String> downloads = handWritten ? Map.of() : redirectTransfers(commands, batch.results(), uploads, transfers);
        ExeScript exeScript = new ExeScript();
        commands.forEach(exeScript::command);
        Instant sent = Instant.now();
        List<CommandResult> actual = activity.exec(exeScript);
        if (startsVm(commands)) {
            report.addVmStart(Duration.between(sent, Instant.now()));
        }
        List<RecordedResult> observed = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            CommandResult result = i < actual.size() ? actual.get(i) : null;
            ContentHash downloaded = downloads.containsKey(i) ? transfers.received(downloads.get(i)).orElse(null) : null;
            List<String> differences = new ArrayList<>();
            if (!handWritten) {
                RecordedResult recorded = i < batch.results().size() ? batch.results().get(i) : null;
                Optional<Expectation.OfCommand> own = ownExpectation(batch, i);
                compareWithRecording(script, own, batch.exeScript().get(i), recorded, result, differences);
                if (recorded != null && recorded.download() != null && result != null && result.ok()) {
                    compareDownload(recorded.download(), downloaded, own.isPresent() && own.get().varies("download"), differences);
                }
                if (result != null) {
                    observed.add(observedResult(recorded, batch.exeScript().get(i).has("run"), result, downloaded));
                }
            }
            for (Expectation expectation : batch.expect()) {
                if (expectation instanceof Expectation.OfCommand check && check.command() == i) {
                    checkCommand(check, result, differences);
                }
            }
            if (!handWritten || result != null || hasCommandExpectation(batch, i)) {
                report.add(new ReplayReport.Check(where + ", command " + i, describe(batch.exeScript().get(i)), differences));
            }
        }
        for (Expectation expectation : batch.expect()) {
            if (expectation instanceof Expectation.OfFile file) {
                report.add(new ReplayReport.Check(where, describe(file), checkFile(activity, file)));
            }
        }
        return observed;
    }

    /**
     * Points recorded transfers across the requestor's end at this replay: an upload's source at
     * its blob, a download's target at a URL that hashes what arrives.
     *
     * @return by command index, the URL each download goes to
     */
    private static Map<Integer, String> redirectTransfers(ArrayNode commands, List<RecordedResult> results,
                                                          Map<ContentHash, Path> uploads, ReplayTransfers transfers) {
        Map<Integer, String> downloads = new HashMap<>();
        for (int i = 0; i < commands.size() && i < results.size(); i++) {
            JsonNode transfer = commands.get(i).get("transfer");
            RecordedResult recorded = results.get(i);
            if (!(transfer instanceof ObjectNode body)) {
                continue;
            }
            Path blob = recorded.upload() == null ? null : uploads.get(recorded.upload());
            if (blob != null) {
                body.put("from", transfers.serve(blob, lastSegment(body.path("from").asText())));
            }
            if (recorded.download() != null) {
                String url = transfers.receive();
                body.put("to", url);
                downloads.put(i, url);
            }
        }
        return downloads;
    }

    /** The file name at the end of a transfer URL ({@code gftp://0xabc/9f2e} gives {@code 9f2e}). */
    private static String lastSegment(String url) {
        String path;
        try {
            path = URI.create(url).getPath();
        } catch (IllegalArgumentException e) {
            path = url;
        }
        String trimmed = path == null ? "" : path.replaceAll("/+$", "");
        String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        return name.isEmpty() ? "upload" : name;
    }

    private static void compareDownload(ContentHash recorded, ContentHash actual, boolean varies, List<String> differences) {
        if (actual == null) {
            differences.add("download: expected " + recorded.describe() + ", but nothing arrived");
        } else if (varies && actual.size() != recorded.size()) {
            differences.add("download: expected " + recorded.size() + " bytes (its content varies), actual " + actual.size() + " bytes");
        } else if (!varies && !actual.equals(recorded)) {
            differences.add("download: expected sha256 " + recorded.sha256() + " (" + recorded.size() + " bytes), actual sha256 "
                    + actual.sha256() + " (" + actual.size() + " bytes)");
        }
    }

    /** What this run produced for a command, in the recording's terms (the upload stays what was recorded). */
    private static RecordedResult observedResult(RecordedResult recorded, boolean isRun, CommandResult actual,
                                                 ContentHash downloaded) {
        // As the recorder does: an exit code belongs to a run only.
        Integer exitCode = isRun && actual.exitCode().isPresent() ? Integer.valueOf(actual.exitCode().getAsInt()) : null;
        RecordedResult base = recorded != null ? recorded
                : new RecordedResult(actual.index(), actual.result(), null, null, null, null);
        return base.withOutcome(actual.result(), exitCode, actual.stdout(), actual.stderr(), actual.message(),
                base.download() != null || downloaded != null ? downloaded : null);
    }

    private static Optional<Expectation.OfCommand> ownExpectation(ScriptBatch batch, int index) {
        return batch.expect().stream()
                .filter(e -> e instanceof Expectation.OfCommand c && c.command() == index)
                .map(e -> (Expectation.OfCommand) e)
                .findFirst();
    }

    private static void compareWithRecording(RequestorScript script, Optional<Expectation.OfCommand> own, JsonNode command,
                                             RecordedResult recorded, CommandResult actual, List<String> differences) {
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
            compareStream(script, own, "stdout", recorded.stdout(), actual.stdout(), differences);
            compareStream(script, own, "stderr", recorded.stderr(), actual.stderr(), differences);
        }
    }

    private static void compareStream(RequestorScript script, Optional<Expectation.OfCommand> own, String stream,
                                      String recorded, String actual, List<String> differences) {
        if (own.isPresent() && own.get().varies(stream)) {
            return;
        }
        String expected = recorded;
        String now = actual;
        List<OutputMask> masks = new ArrayList<>(script.masks());
        own.ifPresent(expectation -> masks.addAll(expectation.masks()));
        for (OutputMask mask : masks) {
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
