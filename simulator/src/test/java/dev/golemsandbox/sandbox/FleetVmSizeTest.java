package dev.golemsandbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.CommandResult;
import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.testing.RealSandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each provider of the default fleet runs its activities in a real VM of exactly the size its offer
 * states: as many vCPUs as {@code golem.inf.cpu.threads}, as much memory as {@code golem.inf.mem.gib},
 * and the CPU its {@code golem.inf.cpu.vendor}, {@code .model}, {@code .brand} and {@code .capabilities} name.
 */
class FleetVmSizeTest {

    static RealSandbox real;
    static Sandbox sandbox;
    static GolemRequestor requestor;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        real = RealSandbox.start(home, c -> c.withProviders(ProviderSpec.defaults(3)));
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
    void aFourThreadFourGibProviderBootsAFourVcpuFourGibVm() {
        ProviderSpec cedar = sandbox.server().config().providers().get(2);
        assertThat(cedar.name()).isEqualTo("cedar");
        assertThat(cedar.threads()).isEqualTo(4);
        assertThat(cedar.memGib()).isEqualTo(4.0);
        try (Rental rental = requestor.rent(RentalSpec.imageTag("sandbox/busybox:latest").withProvider("cedar"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            CommandResult cpus = activity.shell("grep -c ^processor /proc/cpuinfo");
            assertThat(cpus.stdout().trim()).as(cpus.toString()).isEqualTo("4");
            long memTotalKib = Long.parseLong(activity.shell("awk '/^MemTotal:/ {print $2}' /proc/meminfo").stdout().trim());
            // The kernel keeps a little of the 4 GiB for itself; what it reports is just under.
            assertThat(memTotalKib).isBetween(4L * 1024 * 1024 * 9 / 10, 4L * 1024 * 1024);
        }
    }

    @Test
    void theSmallestProviderBootsAOneVcpuVmOfOneGib() {
        try (Rental rental = requestor.rent(RentalSpec.imageTag("sandbox/busybox:latest").withProvider("alder"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            assertThat(activity.shell("grep -c ^processor /proc/cpuinfo").stdout().trim()).isEqualTo("1");
            long memTotalKib = Long.parseLong(activity.shell("awk '/^MemTotal:/ {print $2}' /proc/meminfo").stdout().trim());
            assertThat(memTotalKib).isBetween(1024L * 1024 * 8 / 10, 1024L * 1024);
        }
    }

    @Test
    void theOfferNamesTheCpuTheVmReallyGets() {
        SandboxClient api = new SandboxClient(sandbox.server().baseUrl(), sandbox.appKey());
        String scan = api.post("/market-api/v1/scan", Map.of("type", "offer", "constraints", "(golem.node.id.name=alder)")).json().asText();
        String alder = sandbox.server().config().providers().get(0).nodeId();
        JsonNode offer = api.get("/market-api/v1/scan/" + scan + "/events?peerId=" + alder).json().get(0).get("properties");
        try (Rental rental = requestor.rent(RentalSpec.imageTag("sandbox/busybox:latest").withProvider("alder"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            String cpuinfo = activity.shell("cat /proc/cpuinfo").stdout();
            String model = "Stepping " + field(cpuinfo, "stepping") + " Family " + field(cpuinfo, "cpu family") + " Model " + field(cpuinfo, "model");

            assertThat(offer.get("golem.inf.cpu.vendor").asText()).isEqualTo(field(cpuinfo, "vendor_id"));
            assertThat(offer.get("golem.inf.cpu.model").asText()).isEqualTo(model);
            assertThat(offer.get("golem.inf.cpu.brand").asText()).isEqualTo(field(cpuinfo, "model name"));
            assertThat(offer.get("golem.inf.cpu.architecture").asText()).isEqualTo(activity.shell("uname -m").stdout().trim());
            // ya-provider's names for two flags Linux calls otherwise
            List<String> flags = List.of(field(cpuinfo, "flags").replace("clflush", "clfsh").replace("pni", "sse3").split(" "));
            List<String> capabilities = new ArrayList<>();
            offer.get("golem.inf.cpu.capabilities").forEach(c -> capabilities.add(c.asText()));
            assertThat(capabilities).isNotEmpty().allMatch(flags::contains);
        }
    }

    private static String field(String cpuinfo, String name) {
        return cpuinfo.lines().filter(l -> l.matches(java.util.regex.Pattern.quote(name) + "\\s*:.*")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElseThrow(() -> new AssertionError("no " + name + " in " + cpuinfo));
    }
}
