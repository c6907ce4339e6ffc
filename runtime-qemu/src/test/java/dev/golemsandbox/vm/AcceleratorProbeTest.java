package dev.golemsandbox.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.guest.GuestAssets;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.testing.TestRuntime;
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
        assertThat(second.reason()).endsWith("(cached)");
    }
}
