package dev.golemsandbox.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.golemsandbox.replay.ReplayReport;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * A recording on the classpath replays in one line: its upload is served from the blob beside it,
 * its download compared by hash, a varying line masked for that command only; a wrong hash fails
 * with the CLI's per-command report, and a blob named by a path is refused.
 */
@GolemSandboxTest
class ReplaysTest {

    @Test
    void aRecordingWithAnUploadAndADownloadReplaysFromTheClasspath(GolemSandbox sandbox) {
        ReplayReport report = Replays.assertReplays(sandbox, "recordings/transfers.json");

        assertEquals(5, report.checks().size(), "deploy, start, upload, run, download");
        assertTrue(report.passed());
    }

    @Test
    void aDownloadThatDiffersFailsWithTheReportOfThatCommand(GolemSandbox sandbox) {
        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> Replays.assertReplays(sandbox, "recordings/tampered-download.json"));

        String report = failure.getMessage();
        assertTrue(report.contains("FAIL  activity 0, batch 3, command 0: transfer container:/golem/output/loud.txt"), report);
        assertTrue(report.contains("download: expected sha256 5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
                + " (6 bytes), actual sha256 3b09aeb6f5f5336beb205d7f720371bc927cd46c21922e334d47ba264acb5ba4 (6 bytes)"), report);
        assertTrue(report.contains("FAILED: 1 of 5 checks failed"), report);
    }

    @Test
    void aBlobNamedByAPathIsRefusedBeforeAnythingRuns(GolemSandbox sandbox) {
        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> Replays.assertReplays(sandbox, "recordings/blob-path.json"));

        assertTrue(failure.getMessage().contains("upload.blob: must be a sha256"), failure.getMessage());
    }
}
