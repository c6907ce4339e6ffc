package dev.golemsandbox.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.guest.GuestAssets;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorProbeTest {

    @TempDir
    Path temp;

    @Test
    void environmentOverridesTheProbe() throws Exception {
        SandboxHome home = new SandboxHome(temp);
        GuestAssets none = new GuestAssets(temp.resolve("k"), temp.resolve("i"), "test");
        assertThat(AcceleratorProbe.choose(home, Map.of(AcceleratorProbe.ENV, "tcg"), none, line -> { }).accelerator())
                .isEqualTo(Accelerator.TCG);
        assertThat(AcceleratorProbe.choose(home, Map.of(AcceleratorProbe.ENV, "KVM"), none, line -> { }).accelerator())
                .isEqualTo(Accelerator.KVM);
        assertThatThrownBy(() -> AcceleratorProbe.choose(home, Map.of(AcceleratorProbe.ENV, "hvf"), none, line -> { }))
                .hasMessageContaining("GOLEM_SANDBOX_ACCEL=hvf is not one of kvm, tcg, auto");
    }

    @Test
    void theProbeReachesAVerdictWithinItsDeadlineAndCachesIt() throws Exception {
        GuestAssets assets = GuestAssets.prepare(TestRuntime.home(), Map.of(), line -> { });
        SandboxHome fresh = new SandboxHome(temp.resolve("fresh"));
        long start = System.nanoTime();
        AcceleratorChoice first = AcceleratorProbe.choose(fresh, Map.of(), assets, line -> { });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AcceleratorProbe.PROBE_DEADLINE.plusSeconds(15));
        assertThat(first.reason()).isNotBlank();
        AcceleratorChoice second = AcceleratorProbe.choose(fresh, Map.of(), assets, line -> { });
        assertThat(second.accelerator()).isEqualTo(first.accelerator());
        if (first.reason().startsWith("KVM unusable")) {
            // Nothing was booted, so nothing is cached: the device is asked again.
            assertThat(second.reason()).isEqualTo(first.reason());
        } else {
            assertThat(second.reason()).endsWith("(cached)");
        }
    }

    @Test
    void aDeviceThatCannotBeOpenedWinsOverACachedVerdictAndLeavesItInPlace() throws Exception {
        SandboxHome home = new SandboxHome(temp);
        GuestAssets assets = new GuestAssets(temp.resolve("k"), temp.resolve("i"), "test");
        Files.createDirectories(home.guest());
        Files.writeString(home.guest().resolve("accelerator-verdict"),
                AcceleratorProbe.cacheKey(assets) + "\nKVM\na test guest booted\n");
        AcceleratorProbe.Device working = () -> KvmDevice.EXPECTED_API_VERSION;
        AcceleratorProbe.Device gone = () -> {
            throw new IOException("/dev/kvm cannot be opened (errno 2)");
        };

        AcceleratorChoice without = AcceleratorProbe.choose(home, Map.of(), assets, line -> { }, gone);
        assertThat(without.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(without.reason()).isEqualTo("KVM unusable: /dev/kvm cannot be opened (errno 2)");

        AcceleratorChoice back = AcceleratorProbe.choose(home, Map.of(), assets, line -> { }, working);
        assertThat(back.accelerator()).isEqualTo(Accelerator.KVM);
        assertThat(back.reason()).isEqualTo("a test guest booted (cached)");
    }
}
