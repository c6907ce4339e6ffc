package dev.golemsandbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.CommandResult;
import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.testing.RealSandbox;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each provider of the default fleet runs its activities in a real VM of exactly the size its offer
 * states: as many vCPUs as {@code golem.inf.cpu.threads}, as much memory as {@code golem.inf.mem.gib}.
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
}
