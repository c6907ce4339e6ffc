package dev.golemsandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.sandbox.Sandbox;
import dev.golemsandbox.testing.Await;
import dev.golemsandbox.testing.RealSandbox;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording downloaded as a bundle (its JSON with the blobs of its uploads) from one sandbox
 * replays on another, fresh one, its files moving over the other sandbox's GSB WebSocket, which
 * the replaying process opens: the replay serves nothing the sandbox would have to reach.
 */
class RecordingBundleReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    static RealSandbox recorder;
    static RealSandbox target;

    @BeforeAll
    static void start() throws Exception {
        recorder = RealSandbox.start(dir.resolve("recorder"));
        target = RealSandbox.start(dir.resolve("target"));
    }

    @AfterAll
    static void stop() {
        if (target != null) {
            target.close();
        }
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    void aBundleDownloadedOverHttpReplaysGreenOnAnotherSandboxThroughItsGsb() throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        Path upload = Files.write(dir.resolve("input.bin"), content);
        try (Rental rental = recorder.requestor().rent(RentalSpec.imageTag("golem/alpine:latest"));
             Activity activity = rental.newActivity()) {
            assertThat(send(recorder.sandbox(), "POST", "/_sandbox/activities/" + activity.id() + "/recording").statusCode()).isLessThan(300);
            activity.deployAndStart();
            activity.upload(upload, "/golem/input/input.bin");
            assertThat(activity.shell("sha256sum /golem/input/input.bin > /golem/output/sum.txt && cat /golem/output/sum.txt").ok()).isTrue();
            activity.download("/golem/output/sum.txt", dir.resolve("sum.txt"));
        }
        AtomicReference<String> written = new AtomicReference<>();
        Await.until("the recording is written", () -> {
            JsonNode files = recordings(recorder.sandbox());
            if (files.size() == 1) {
                written.set(Path.of(files.get(0).asText()).getFileName().toString());
            }
            return written.get() != null;
        });
        String name = written.get();

        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(recorder.sandbox().baseUrl() + "/_sandbox/recordings/" + name + "/bundle")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("without the key").isEqualTo(401);
        HttpResponse<byte[]> bundle = HTTP.send(request(recorder.sandbox(), "GET", "/_sandbox/recordings/" + name + "/bundle").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.headers().firstValue("Content-Disposition").orElse("")).contains(name.replace(".json", ".tar"));
        Path tar = Files.write(dir.resolve("downloaded.tar"), bundle.body());

        CliRun run = CliRun.of("replay", "--data-dir", dir.resolve("cli-home").toString(), tar.toString(),
                "--against", target.sandbox().baseUrl(), "--app-key", target.sandbox().appKey());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("ok").doesNotContain("FAIL");
        String sent = batchesOf(target.sandbox());
        assertThat(sent).as("the transfers the target ran").contains("gftp://").doesNotContain("\"from\":\"http");
    }

    @Test
    void aBundleWithAnEntryOutsideItsLayoutIsRefusedInOneLine() throws Exception {
        Path hostile = dir.resolve("hostile.tar");
        try (OutputStream out = Files.newOutputStream(hostile); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry("../escape.json");
            entry.setSize(json.length);
            tar.putArchiveEntry(entry);
            tar.write(json);
            tar.closeArchiveEntry();
        }

        CliRun run = CliRun.of("replay", "--data-dir", dir.resolve("cli-home").toString(), hostile.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(UserError.BAD_INPUT);
        assertThat(run.errorLines()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("is not a recording bundle").contains("../escape.json").doesNotContain("\tat ");
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.map(p -> p.getFileName().toString())).doesNotContain("escape.json");
        }
        assertThat(dir.resolve("cli-home").resolve("replays")).isEmptyDirectory();
    }

    private static JsonNode recordings(Sandbox sandbox) {
        try {
            return JSON.readTree(send(sandbox, "GET", "/_sandbox/recordings").body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every batch the target's activities ran, as their commands were sent. */
    private static String batchesOf(Sandbox sandbox) throws IOException, InterruptedException {
        StringBuilder all = new StringBuilder();
        for (JsonNode activity : JSON.readTree(send(sandbox, "GET", "/_sandbox/activities").body())) {
            all.append(send(sandbox, "GET", "/_sandbox/activities/" + activity.get("activityId").asText() + "/batches").body());
        }
        return all.toString();
    }

    private static HttpResponse<String> send(Sandbox sandbox, String method, String path) throws IOException, InterruptedException {
        return HTTP.send(request(sandbox, method, path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(Sandbox sandbox, String method, String path) {
        return HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path)).header("Authorization", "Bearer " + sandbox.appKey())
                .method(method, HttpRequest.BodyPublishers.noBody());
    }
}
