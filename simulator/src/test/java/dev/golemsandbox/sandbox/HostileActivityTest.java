package dev.golemsandbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.CommandResult;
import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.testing.RealSandbox;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A requestor's ExeScript runs a program (runtime-qemu's {@code src/test/c/hostile-guest.c}) that,
 * as root in the VM, takes over the agent's port and sends a frame claiming 2 GiB. Over the yagna
 * API the command fails at once, the activity is Terminated with the violation as its reason, and
 * another activity of the same sandbox keeps working.
 */
class HostileActivityTest {

    static RealSandbox real;
    static Sandbox sandbox;
    static GolemRequestor requestor;

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

    @Test
    void aGuestThatBreaksTheAgentProtocolEndsOnlyItsOwnActivityWithTheReason() throws Exception {
        Path program = dir.resolve("hostile-guest");
        try (InputStream in = HostileActivityTest.class.getResourceAsStream("/dev/golemsandbox/exeunit/hostile-guest")) {
            assertThat(in).as("runtime-qemu's test classes hold the compiled hostile-guest").isNotNull();
            Files.copy(in, program);
        }
        try (Rental hostileRental = requestor.rent(RentalSpec.imageTag("sandbox/busybox:latest"));
             Rental otherRental = requestor.rent(RentalSpec.imageTag("sandbox/busybox:latest"));
             Activity hostile = hostileRental.newActivity();
             Activity other = otherRental.newActivity()) {
            hostile.deployAndStart();
            other.deployAndStart();
            hostile.upload(program, "/golem/input/hostile-guest");

            CommandResult attack = hostile.shell("cp /golem/input/hostile-guest /tmp/h && chmod 755 /tmp/h && exec /tmp/h giant-length");

            assertThat(attack.ok()).as("the attack's command: %s", attack).isFalse();
            assertThat(attack.message()).contains("broke the protocol").contains("claims 2147483616 bytes");
            JsonNode state = state(hostile.id());
            assertThat(state.get("state").toString()).isEqualTo("[\"Terminated\",null]");
            assertThat(state.get("reason").asText()).contains("broke the protocol")
                    .contains("the hello claims 2147483616 bytes, more than the 4096 allowed");
            assertThat(state.get("errorMessage").asText()).isEqualTo(state.get("reason").asText());
            CommandResult refused = hostile.shell("echo again");
            assertThat(refused.ok()).isFalse();
            assertThat(refused.message()).contains("the activity is Terminated").contains("broke the protocol");

            assertThat(other.shell("echo still-here").stdout()).isEqualTo("still-here\n");
            assertThat(other.state()).isEqualTo("Ready");
        }
    }

    private static JsonNode state(String activityId) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(sandbox.baseUrl() + "/activity-api/v1/activity/" + activityId + "/state"))
                .header("Authorization", "Bearer " + sandbox.appKey()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return new ObjectMapper().readTree(answer.body());
    }
}
