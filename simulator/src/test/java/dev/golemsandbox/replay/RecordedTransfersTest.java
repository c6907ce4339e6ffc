package dev.golemsandbox.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.blob.ContentHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a recording names what crossed the requestor's end, and what a replay may make of it. */
class RecordedTransfersTest {

    private static final String UPLOAD = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
    private static final String DOWNLOAD = "a".repeat(64);

    @TempDir
    Path dir;

    private static String recording(String blob) {
        return """
                {
                  "format": "golem-sandbox-script/1",
                  "image": {"tag": "sandbox/busybox:latest"},
                  "activities": [{"batches": [
                    {"exeScript": [{"transfer": {"from": "gftp://0xabc/in", "to": "container:/golem/input/in.txt"}},
                                   {"run": {"entry_point": "/bin/date", "args": []}},
                                   {"transfer": {"from": "container:/golem/output/out.bin", "to": "gftp://0xabc/out"}}],
                     "results": [{"index": 0, "result": "Ok", "stdout": null, "stderr": null, "upload": {"blob": "%s", "size": 6}},
                                 {"index": 1, "result": "Ok", "exitCode": 0, "stdout": "Tue Dec  1\\n", "stderr": ""},
                                 {"index": 2, "result": "Ok", "stdout": null, "stderr": null, "download": {"sha256": "%s", "size": 700}}],
                     "expect": [{"command": 1, "varies": ["stdout"], "masks": [{"stream": "stderr", "pattern": "\\\\d+", "replace": "N"}]}]}
                  ]}]
                }
                """.formatted(blob, DOWNLOAD);
    }

    @Test
    void aRecordingNamesUploadsAndDownloadsByHashAndSize() throws Exception {
        RequestorScript script = RequestorScript.read(Files.writeString(dir.resolve("r.json"), recording(UPLOAD)));

        List<RecordedResult> results = script.activities().get(0).batches().get(0).results();
        assertThat(results.get(0).upload()).isEqualTo(new ContentHash(UPLOAD, 6));
        assertThat(results.get(2).download()).isEqualTo(new ContentHash(DOWNLOAD, 700));
        Expectation.OfCommand own = (Expectation.OfCommand) script.activities().get(0).batches().get(0).expect().get(0);
        assertThat(own.varies("stdout")).isTrue();
        assertThat(own.varies("stderr")).isFalse();
        assertThat(own.masks().get(0).apply("stderr", "pid 4711")).isEqualTo("pid N");

        Path copy = Files.writeString(dir.resolve("copy.json"), RequestorScript.JSON.writeValueAsString(script.toJson()));
        assertThat(RequestorScript.read(copy).toJson()).isEqualTo(script.toJson());
    }

    @Test
    void aBlobReferenceThatIsAPathIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("hostile.json"), recording("../../etc/passwd"));

        assertThatThrownBy(() -> RequestorScript.read(file))
                .isInstanceOf(ScriptFormatException.class)
                .hasMessageContaining("$.activities[0].batches[0].results[0].upload.blob")
                .hasMessageContaining("must be a sha256");
    }

    @Test
    void anUpdateTakesTheNewResultOfFailedCommandsOnlyAndSaysWhatChanged() throws Exception {
        RequestorScript script = RequestorScript.read(Files.writeString(dir.resolve("r.json"), recording(UPLOAD)));
        List<RecordedResult> recorded = script.activities().get(0).batches().get(0).results();
        ContentHash newDownload = new ContentHash("b".repeat(64), 701);
        ReplayReport report = new ReplayReport();
        report.add(new ReplayReport.Check("activity 0, batch 0, command 0", "transfer", List.of()));
        report.add(new ReplayReport.Check("activity 0, batch 0, command 1", "run /bin/date", List.of()));
        report.add(new ReplayReport.Check("activity 0, batch 0, command 2", "transfer container:/golem/output/out.bin -> gftp://0xabc/out",
                List.of("download: expected sha256 aaaa (700 bytes), actual sha256 bbbb (701 bytes)")));
        report.observed(0, 0, List.of(
                recorded.get(0),
                recorded.get(1).withOutcome("Ok", 0, "Wed Dec  2\n", "", null, null),
                recorded.get(2).withOutcome("Ok", null, null, null, null, newDownload)));

        RecordingUpdate update = RecordingUpdate.of(script, report);

        List<RecordedResult> updated = update.script().activities().get(0).batches().get(0).results();
        assertThat(updated.get(0)).isEqualTo(recorded.get(0));
        assertThat(updated.get(1).stdout()).as("a passing command keeps its recorded output").isEqualTo("Tue Dec  1\n");
        assertThat(updated.get(2).download()).isEqualTo(newDownload);
        assertThat(update.changes()).containsExactly(
                "activity 0, batch 0, command 2: transfer container:/golem/output/out.bin -> gftp://0xabc/out",
                "    download: expected sha256 aaaa (700 bytes), actual sha256 bbbb (701 bytes)");
        assertThat(update.script().activities().get(0).batches().get(0).expect()).isEqualTo(
                script.activities().get(0).batches().get(0).expect());
    }

    @Test
    void anUpdateOfAPassingRunChangesNothing() throws Exception {
        RequestorScript script = RequestorScript.read(Files.writeString(dir.resolve("r.json"), recording(UPLOAD)));
        ReplayReport report = new ReplayReport();
        for (int i = 0; i < 3; i++) {
            report.add(new ReplayReport.Check("activity 0, batch 0, command " + i, "c", List.of()));
        }
        report.observed(0, 0, script.activities().get(0).batches().get(0).results());

        RecordingUpdate update = RecordingUpdate.of(script, report);

        assertThat(update.changed()).isFalse();
        assertThat(update.script().toJson()).isEqualTo(script.toJson());
    }
}
