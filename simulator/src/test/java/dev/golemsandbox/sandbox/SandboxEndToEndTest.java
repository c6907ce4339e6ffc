package dev.golemsandbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.CommandResult;
import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.client.YagnaApiException;
import dev.golemsandbox.replay.RequestorScript;
import dev.golemsandbox.testing.RealSandbox;
import dev.golemsandbox.vm.AcceleratorChoice;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole sandbox in this JVM, driven over HTTP by the Java requestor: market negotiation, an
 * activity whose batches run in a real QEMU microVM of the default image, files in and out.
 */
class SandboxEndToEndTest {

    static RealSandbox real;
    static Sandbox sandbox;
    static GolemRequestor requestor;

    /** This class's own data directory: its recordings and app key stay out of other tests' views. */
    @TempDir
    static Path home;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        real = RealSandbox.start(home);
        sandbox = real.sandbox();
        requestor = real.requestor();
    }

    @AfterAll
    static void stop() {
        if (real != null) {
            real.close();
        }
    }

    /**
     * {@code awaitReady} only waits for the preparation future; what a user polls is the endpoints,
     * which must name every condition as ready and the accelerator the preparation chose.
     */
    @Test
    void readyOnlyAfterPreparationAndSaysSo() throws Exception {
        JsonNode ready = getJson("/_sandbox/ready");
        assertThat(ready.get("ready").asBoolean()).as(ready.toString()).isTrue();
        assertThat(ready.has("message")).as("no 'not ready yet' message once ready: %s", ready).isFalse();
        assertThat(ready.get("conditions").findValuesAsText("name"))
                .containsExactlyInAnyOrder("guest-assets", "default-image", "providers");
        assertThat(ready.get("conditions").findValuesAsText("state")).as(ready.toString()).containsOnly("READY");

        JsonNode health = getJson("/_sandbox/health");
        assertThat(health.get("ready").asBoolean()).isTrue();
        assertThat(health.get("conditions")).isEqualTo(ready.get("conditions"));

        AcceleratorChoice accelerator = sandbox.accelerator();
        assertThat(accelerator).as("the preparation probed the accelerator").isNotNull();
        assertThat(getJson("/_sandbox/info").get("accelerator").asText())
                .isEqualTo(accelerator.accelerator().qemuName() + " (" + accelerator.reason() + ")");
    }

    private static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        return new ObjectMapper().readTree(answer.body());
    }

    @Test
    void filesPersistAcrossBatchesOfOneActivityAndNotIntoTheNext() {
        try (Rental rental = requestor.rent(RentalSpec.imageTag("golem/alpine:latest"))) {
            try (Activity first = rental.newActivity()) {
                first.deployAndStart();
                assertThat(first.state()).isEqualTo("Ready");
                assertThat(first.shell("echo one > /golem/work/a; echo two > /root/b").ok()).isTrue();
                CommandResult read = first.shell("cat /golem/work/a /root/b; pwd");
                assertThat(read.stdout()).isEqualTo("one\ntwo\n/golem/work\n");
            }
            try (Activity second = rental.newActivity()) {
                second.deployAndStart();
                CommandResult probe = second.shell("ls /golem/work/a /root/b");
                assertThat(probe.ok()).isFalse();
                assertThat(probe.exitCode()).hasValue(1);
                assertThat(probe.stderr()).contains("No such file");
            }
        }
    }

    @Test
    void filesGoInAndOutThroughHttpTransfers() throws Exception {
        byte[] payload = new byte[2 * 1024 * 1024 + 3];
        new Random(7).nextBytes(payload);
        Path upload = Files.write(dir.resolve("in.bin"), payload);
        try (Rental rental = requestor.rent(RentalSpec.imageTag("sandbox/busybox:latest"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            activity.upload(upload, "/golem/input/in.bin");
            assertThat(activity.shell("cp /golem/input/in.bin /golem/output/out.bin && wc -c < /golem/output/out.bin").stdout().trim())
                    .isEqualTo(String.valueOf(payload.length));
            Path download = dir.resolve("out.bin");
            activity.download("/golem/output/out.bin", download);
            assertThat(Files.readAllBytes(download)).isEqualTo(payload);
        }
    }

    @Test
    void oneActivityIsRecordedFromItsFirstBatchWhenAskedThroughSandboxEndpoint() throws Exception {
        try (Rental rental = requestor.rent(RentalSpec.imageTag("sandbox/busybox:latest"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            activity.shell("echo recorded");
            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/_sandbox/activities/" + activity.id() + "/recording"))
                            .header("Authorization", "Bearer " + sandbox.appKey())
                            .POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            Path file = Path.of(new ObjectMapper().readTree(answer.body()).path("recording").asText());
            activity.shell("echo after");

            RequestorScript recording = RequestorScript.read(file);
            assertThat(recording.image().tag()).isEqualTo("sandbox/busybox:latest");
            assertThat(recording.batchCount()).isEqualTo(3);
            var batches = recording.activities().get(0).batches();
            assertThat(batches.get(0).exeScript().toString()).isEqualTo("[{\"deploy\":{}},{\"start\":{}}]");
            assertThat(batches.get(1).results().get(0).stdout()).isEqualTo("recorded\n");
            assertThat(batches.get(2).results().get(0).exitCode()).isZero();
        }
    }

    @Test
    void aDemandNoProviderMatchesFailsWithEachProvidersReason() {
        RentalSpec tooBig = RentalSpec.imageTag("sandbox/busybox:latest").withMinMemGib(64)
                .withNegotiationTimeout(Duration.ofSeconds(3));
        assertThatThrownBy(() -> requestor.rent(tooBig))
                .isInstanceOf(YagnaApiException.class)
                .hasMessageContaining("no provider agreed within 3 s; the providers say:")
                .hasMessageContaining("alder: no: the demand's constraint (golem.inf.mem.gib>=64.0) does not hold");
    }

    @Test
    void aContainerPathOutsideEveryVolumeIsRefusedWithTheProvidersMessage() throws Exception {
        Path upload = Files.writeString(dir.resolve("x.txt"), "x");
        try (Rental rental = requestor.rent(RentalSpec.imageTag("sandbox/busybox:latest"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            assertThatThrownBy(() -> activity.upload(upload, "/etc/x.txt"))
                    .isInstanceOf(YagnaApiException.class)
                    .hasMessageContaining("path not found in container");
        }
    }
}
