package dev.golemsandbox.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.activity.exescript.TransferUrl;
import dev.golemsandbox.activity.transfer.GftpClient;
import dev.golemsandbox.testing.ActivityHarness;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sandbox that runs for days stays bounded: destroyed activities and finished batches are
 * forgotten after the retention time, and one huge ExeScript costs what it outputs, not what it
 * asks to capture.
 */
class ActivityBoundsTest {

    @TempDir
    Path dir;

    private ActivityHarness sandbox;

    @BeforeEach
    void start() throws IOException {
        GftpClient noGftp = new GftpClient() {
            @Override
            public void fetch(TransferUrl url, FileChannel target, long maxBytes) throws IOException {
                throw new IOException("no gftp in this test");
            }

            @Override
            public void send(FileChannel source, TransferUrl url) throws IOException {
                throw new IOException("no gftp in this test");
            }
        };
        sandbox = new ActivityHarness(dir, noGftp, Duration.ofMillis(200), config -> { });
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void aThousandActivitiesCreatedAndDestroyedLeaveTheHeapWhereItWas() {
        // The first thousand warms up what is allocated once (classes, JIT, pools, buffers); a leak
        // of per-activity state grows again by the same amount in the second.
        cycle(1000);
        forgetAll();
        long before = usedHeap();

        cycle(1000);
        forgetAll();
        long after = usedHeap();
        System.out.printf("1000 activities created and destroyed: heap %.1f MiB before, %.1f MiB after%n",
                before / 1048576.0, after / 1048576.0);

        assertThat(sandbox.service.allActivityIds()).as("nothing left to read once retention passed").isEmpty();
        assertThat(after - before).as("heap growth after 1000 activities (bytes)").isLessThan(16L << 20);
    }

    @Test
    void aDestroyedActivityStaysReadableForTheRetentionTime() {
        sandbox.service.retainFor(Duration.ofHours(1));
        String id = sandbox.ready();
        sandbox.destroyed(id);
        sandbox.service.forgetOld();

        assertThat(sandbox.state(id).get("state").get(0).asText()).isEqualTo("Terminated");
    }

    @Test
    void finishedBatchesAreForgottenAfterTheRetentionTimeButTheActivityLivesOn() {
        String id = sandbox.ready();
        String batch = sandbox.exec(id, "[{\"run\":{\"entry_point\":\"/bin/echo\",\"args\":[\"hi\"]}}]");
        sandbox.finished(id, batch);
        sandbox.service.retainFor(Duration.ZERO);
        sandbox.service.forgetOld();

        assertThat(sandbox.http.get("/activity-api/v1/activity/" + id + "/exec/" + batch).status()).isEqualTo(404);
        assertThat(sandbox.state(id).get("state").get(0).asText()).isEqualTo("Ready");
    }

    @Test
    void aBatchOfFiveThousandCommandsCapturingMuchCostsWhatTheyPrint() {
        String id = sandbox.ready();
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            commands.add("{\"run\":{\"entry_point\":\"/bin/echo\",\"args\":[\"" + i + "\"],"
                    + "\"capture\":{\"stdout\":{\"atEnd\":{\"tail\":67108864}},\"stderr\":{\"atEnd\":{\"tail\":67108864}}}}}");
        }
        long before = usedHeap();

        JsonNode results = sandbox.run(id, "[" + String.join(",", commands) + "]");
        long after = usedHeap();

        assertThat(results).hasSize(5000);
        assertThat(results.get(4999).get("stdout").asText()).isEqualTo("4999\n");
        assertThat(after - before).as("heap held by a finished batch of 5000 captured commands (bytes)").isLessThan(256L << 20);
    }

    /** Retention 0 only while forgetting: a batch must stay readable until the test has read its results. */
    private void forgetAll() {
        sandbox.service.retainFor(Duration.ZERO);
        sandbox.service.forgetOld();
        sandbox.service.retainFor(Duration.ofHours(1));
        sandbox.runtime.forgetStoppedUnits();
    }

    private void cycle(int activities) {
        for (int i = 0; i < activities; i++) {
            String id = sandbox.ready();
            sandbox.run(id, "[{\"run\":{\"entry_point\":\"/bin/echo\",\"args\":[\"" + i + "\"],\"capture\":{\"stdout\":{\"atEnd\":{}}}}}]");
            sandbox.destroyed(id);
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
