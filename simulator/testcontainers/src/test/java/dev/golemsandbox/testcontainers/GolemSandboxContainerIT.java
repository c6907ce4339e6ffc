package dev.golemsandbox.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.CommandResult;
import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.client.YagnaApiException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * The sandbox image as CI builds it (on a locally imported Debian base, nothing pulled) and as a
 * user runs it through {@link GolemSandboxContainer}: a requestor on this machine rents a provider
 * in the container, deploys the default image it resolved through the container's registry, and
 * runs commands in the VM; the container and its data volume are gone afterwards.
 */
class GolemSandboxContainerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void buildImage() {
        SandboxImageBuild.ensure(GolemSandboxContainer.DEFAULT_IMAGE_NAME.withTag(GolemSandboxContainer.DEFAULT_TAG).asCanonicalNameString());
    }

    @Test
    void aRequestorOnThisMachineRunsCommandsInAVmInsideTheContainer() throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        String containerId;
        List<String> volumes;
        try (GolemSandboxContainer sandbox = new GolemSandboxContainer().withProviders(2)) {
            sandbox.withLogConsumer(frame -> System.out.println("[container] " + frame.getUtf8StringWithoutLineEnding()));
            sandbox.start();
            try (GolemRequestor requestor = GolemRequestor.connect(URI.create(sandbox.getApiUrl()), sandbox.getAppKey());
                 Rental rental = requestor.rent(RentalSpec.imageTag("sandbox/busybox:latest"));
                 Activity activity = rental.newActivity()) {
                activity.deployAndStart();
                activity.shell("echo kept > /golem/work/note");
                CommandResult result = activity.shell("cat /golem/work/note; uname -m");
                assertThat(result.stdout()).isEqualTo("kept\nx86_64\n");
            }

            containerId = sandbox.getContainerId();
            InspectContainerResponse container = docker.inspectContainerCmd(containerId).exec();
            volumes = container.getMounts().stream().map(InspectContainerResponse.Mount::getName).toList();
            assertThat(volumes).as("the data directory is an anonymous volume").hasSize(1);
            assertThat(info(sandbox.getApiUrl()).path("providers")).hasSize(2);
            assertThatThrownBy(() -> GolemRequestor.connect(URI.create(sandbox.getApiUrl()), "not-" + sandbox.getAppKey()))
                    .isInstanceOf(YagnaApiException.class)
                    .satisfies(e -> assertThat(((YagnaApiException) e).status()).isEqualTo(401));

            boolean hostHasKvm = Files.exists(Path.of("/dev/kvm"));
            assertThat(devicePaths(container)).as("/dev/kvm is passed through exactly when this machine has it")
                    .isEqualTo(hostHasKvm ? List.of("/dev/kvm") : List.of());
            assertThat(sandbox.getAccelerator()).matches(hostHasKvm ? "(kvm|tcg) \\(.+\\)" : "tcg \\(KVM unusable.*");
        }
        assertThatThrownBy(() -> docker.inspectContainerCmd(containerId).exec())
                .as("the container is removed on close").isInstanceOf(NotFoundException.class);
        for (String volume : volumes) {
            assertThatThrownBy(() -> docker.inspectVolumeCmd(volume).exec())
                    .as("the data volume is removed with the container").isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void aKilledSandboxContainerStartsAgainOnItsDataVolume() throws Exception {
        try (GolemSandboxContainer sandbox = new GolemSandboxContainer().withAccelerator("tcg")) {
            sandbox.start();
            assertThat(devicePaths(sandbox.getContainerInfo())).as("forced TCG needs no /dev/kvm").isEmpty();
            assertThat(sandbox.getAccelerator()).isEqualTo("tcg (GOLEM_SANDBOX_ACCEL=tcg)");

            // SIGKILL: no shutdown hook runs, so the record of the running sandbox stays in the volume.
            DockerClient docker = sandbox.getDockerClient();
            docker.killContainerCmd(sandbox.getContainerId()).exec();
            docker.waitContainerCmd(sandbox.getContainerId()).start().awaitCompletion(60, TimeUnit.SECONDS);
            docker.startContainerCmd(sandbox.getContainerId()).exec();

            InspectContainerResponse restarted = docker.inspectContainerCmd(sandbox.getContainerId()).exec();
            Ports.Binding binding = restarted.getNetworkSettings().getPorts().getBindings()
                    .get(ExposedPort.tcp(GolemSandboxContainer.SANDBOX_PORT))[0];
            String apiUrl = "http://" + sandbox.getHost() + ":" + binding.getHostPortSpec();
            awaitReady(apiUrl, docker, sandbox.getContainerId(), Duration.ofMinutes(2));
            // The same key still opens the API: the restarted sandbox kept it in its data volume.
            assertThat(statusOfMe(apiUrl, sandbox.getAppKey())).isEqualTo(200);
            assertThat(statusOfMe(apiUrl, "not-the-key")).isEqualTo(401);
        }
    }

    @Test
    void theDefaultTagIsThisProjectsVersion() {
        String version = System.getProperty("golem-sandbox.version", "");
        assertThat(GolemSandboxContainer.DEFAULT_TAG).as("DEFAULT_TAG follows the project version")
                .isEqualTo(version.replace("-SNAPSHOT", ""));
    }

    private static List<String> devicePaths(InspectContainerResponse container) {
        Device[] devices = container.getHostConfig().getDevices();
        return devices == null ? List.of() : Arrays.stream(devices).map(Device::getPathInContainer).toList();
    }

    private static JsonNode info(String apiUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(apiUrl + "/_sandbox/info")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int statusOfMe(String apiUrl, String appKey) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(apiUrl + "/me"))
                        .header("Authorization", "Bearer " + appKey).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Polls /_sandbox/ready until 200; fails at once if the container stops (e.g. refuses to start). */
    private static void awaitReady(String apiUrl, DockerClient docker, String containerId, Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(apiUrl + "/_sandbox/ready")).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(containerId).exec().getState();
            assertThat(state.getRunning()).as("container running after restart (exit code %s)", state.getExitCodeLong()).isTrue();
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // The JVM in the container has not bound its port yet.
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("the restarted sandbox was not ready at " + apiUrl + " within " + timeout.toSeconds() + " s");
    }
}
