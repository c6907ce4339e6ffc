package dev.golemsandbox.gsb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.blob.BlobStore;
import dev.golemsandbox.blob.ContentHash;
import dev.golemsandbox.replay.RecordedResult;
import dev.golemsandbox.replay.RecordingWriter;
import dev.golemsandbox.replay.RequestorScript;
import dev.golemsandbox.testing.ActivityHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorded activity keeps what crossed gftp, as golem-js moves files: the upload as a blob named
 * by its sha256 beside the recordings (once, however often it is uploaded), the download by its
 * sha256 and size; the recording names both by hash.
 */
class RecordedGftpTransfersTest {

    private static final String APP_KEY = "test-app-key";
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private ActivityHarness sandbox;
    private ScriptedGolemJsStorage storage;
    private Path recordings;

    @BeforeEach
    void start() throws Exception {
        GsbServices services = new GsbServices();
        GsbApi gsb = new GsbApi(services, APP_KEY::equals);
        GftpOverGsb gftp = new GftpOverGsb(services, Duration.ofSeconds(5), Duration.ofSeconds(30), MIB, 4);
        sandbox = new ActivityHarness(dir.resolve("sandbox"), gftp, Duration.ofSeconds(15), gsb::addRoutes);
        storage = new ScriptedGolemJsStorage(sandbox.http, sandbox.server.uri("/"), APP_KEY);
        recordings = dir.resolve("recordings");
        sandbox.service.recordWith(new RecordingWriter(recordings, hash -> Optional.empty()), true);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void uploadsAreKeptAsBlobsAndDownloadsByHash() throws Exception {
        Path original = dir.resolve("original.bin");
        byte[] content = new byte[2 * MIB + 7];
        new Random(7).nextBytes(content);
        Files.write(original, content);
        String id = sandbox.ready();
        ScriptedGolemJsStorage.Service first = storage.publish(original);
        first.connect();
        ScriptedGolemJsStorage.Service again = storage.publish(original);
        again.connect();
        ScriptedGolemJsStorage.Service download = storage.receive(dir.resolve("received.bin"));
        download.connect();

        JsonNode results = sandbox.run(id, "[" + transfer(first.url(), "container:/golem/input/a.bin") + ","
                + transfer(again.url(), "container:/golem/input/b.bin") + ","
                + transfer("container:/golem/input/a.bin", download.url()) + "]");

        assertThat(results.findValuesAsText("result")).as(results.toString()).containsExactly("Ok", "Ok", "Ok");
        ContentHash expected = ContentHash.of(original);
        List<RecordedResult> recorded = onlyRecording().activities().get(0).batches().get(1).results();
        assertThat(recorded.get(0).upload()).isEqualTo(expected);
        assertThat(recorded.get(1).upload()).isEqualTo(expected);
        assertThat(recorded.get(2).upload()).isNull();
        assertThat(recorded.get(2).download()).isEqualTo(expected);
        try (Stream<Path> blobs = Files.list(recordings.resolve(BlobStore.DIRECTORY_NAME))) {
            assertThat(blobs.map(p -> p.getFileName().toString())).as("one blob per content").containsExactly(expected.sha256());
        }
        assertThat(Files.readAllBytes(BlobStore.beside(recordings).verified(expected))).isEqualTo(content);
        assertThat(Files.readAllBytes(inVolume("/golem/input/b.bin"))).as("the VM still got the file").isEqualTo(content);
    }

    private RequestorScript onlyRecording() throws Exception {
        try (Stream<Path> files = Files.list(recordings)) {
            List<Path> json = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(json).hasSize(1);
            return RequestorScript.read(json.get(0));
        }
    }

    private Path inVolume(String containerPath) throws Exception {
        return sandbox.runtime.units().get(0).hostPathOf(containerPath);
    }

    private static String transfer(String from, String to) {
        return "{\"transfer\":{\"from\":\"" + from + "\",\"to\":\"" + to + "\"}}";
    }
}
