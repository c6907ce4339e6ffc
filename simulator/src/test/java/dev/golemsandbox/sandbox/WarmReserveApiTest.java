package dev.golemsandbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.CommandResult;
import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.json.JsonMapper;
import dev.golemsandbox.reserve.ReserveCounts;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.testing.TestRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm reserve in a whole sandbox, through the REST API: the second activity of an image gets
 * a reserved VM, the sandbox says how many it keeps, and closing the sandbox leaves no QEMU and no
 * reserve directory behind.
 */
class WarmReserveApiTest {

    @TempDir
    Path home;

    @Test
    void theSecondActivityOfAnImageResumesAReservedVmAndNothingOutlivesTheSandbox() throws Exception {
        SandboxConfig config = SandboxConfig.defaults(TestRuntime.home(home.resolve("data"))).withPort(0).withWarmVms(1);
        Path reserveDir;
        try (Sandbox sandbox = Sandbox.start(config, line -> System.out.println("[sandbox] " + line))) {
            sandbox.awaitReady(Duration.ofMinutes(10));
            reserveDir = Files.list(home.resolve("data").resolve("work")).findFirst().orElseThrow().resolve(".warm-vms");
            assertThat(reserveDir).isDirectory();
            try (GolemRequestor requestor = GolemRequestor.connect(URI.create(sandbox.baseUrl()), sandbox.appKey());
                 Rental rental = requestor.rent(RentalSpec.imageTag(ImageStore.DEFAULT_IMAGE_TAG))) {
                try (Activity first = rental.newActivity()) {
                    first.deployAndStart();
                    assertThat(first.run("/bin/echo", "first").stdout()).isEqualTo("first\n");
                }
                assertThat(sandbox.runtime().awaitWarm(1, Duration.ofMinutes(3))).as("the reserve refilled").isTrue();
                try (Activity second = rental.newActivity()) {
                    second.deployAndStart();
                    CommandResult echo = second.run("/bin/echo", "second");
                    assertThat(echo.stdout()).isEqualTo("second\n");
                }
                assertThat(sandbox.runtime().reserveCounts().map(ReserveCounts::taken)).contains(1L);
                assertThat(sandbox.runtime().awaitWarm(1, Duration.ofMinutes(3))).as("the reserve refilled again").isTrue();
                JsonNode warm = info(sandbox).path("warmVms");
                assertThat(warm.path("paused").asInt()).as(warm.toString()).isEqualTo(1);
                assertThat(warm.path("taken").asLong()).isEqualTo(1);
            }
            assertThat(qemus()).as("a reserved VM is running").isNotEmpty();
        }
        for (ProcessHandle qemu : qemus()) {
            qemu.onExit().get(15, TimeUnit.SECONDS);
        }
        assertThat(qemus()).as("QEMU processes after the sandbox closed").isEmpty();
        assertThat(reserveDir).doesNotExist();
    }

    private static List<ProcessHandle> qemus() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().orElse("").contains("qemu-system")).toList();
    }

    private static JsonNode info(Sandbox sandbox) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/_sandbox/info"))
                .header("Authorization", "Bearer " + sandbox.appKey()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JsonMapper.shared().readTree(response.body());
    }
}
