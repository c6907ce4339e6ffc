package dev.golemsandbox.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.guest.GuestAssets;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorProbeTest {

    private static final AcceleratorProbe.Device WORKING = () -> KvmDevice.EXPECTED_API_VERSION;
    private static final AcceleratorProbe.TestBoot NO_BOOT = (home, assets, deadline) -> {
        throw new AssertionError("a cached verdict must not boot a test guest");
    };

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
        GuestAssets assets = GuestAssets.prepare(TestRuntime.sharedCache(), Map.of(), line -> { });
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
            assertThat(second.reason()).startsWith(first.reason() + " (cached");
        }
    }

    @Test
    void aDeviceThatCannotBeOpenedWinsOverACachedVerdictAndLeavesItInPlace() throws Exception {
        SandboxHome home = new SandboxHome(temp);
        GuestAssets assets = new GuestAssets(temp.resolve("k"), temp.resolve("i"), "test");
        Files.createDirectories(home.guest());
        Files.writeString(home.guest().resolve("accelerator-verdict"),
                AcceleratorProbe.cacheKey(assets) + "\nKVM\na test guest booted\n");
        AcceleratorProbe.Device gone = () -> {
            throw new IOException("/dev/kvm cannot be opened (errno 2)");
        };

        AcceleratorChoice without = AcceleratorProbe.choose(home, Map.of(), assets, line -> { }, gone, NO_BOOT, Clock.systemUTC());
        assertThat(without.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(without.reason()).isEqualTo("KVM unusable: /dev/kvm cannot be opened (errno 2)");

        AcceleratorChoice back = AcceleratorProbe.choose(home, Map.of(), assets, line -> { }, WORKING, NO_BOOT, Clock.systemUTC());
        assertThat(back.accelerator()).isEqualTo(Accelerator.KVM);
        assertThat(back.reason()).isEqualTo("a test guest booted (cached)");
    }

    @Test
    void aFailedProbeIsReusedForADayThenProbedAgain() throws Exception {
        SandboxHome home = new SandboxHome(temp);
        GuestAssets assets = new GuestAssets(temp.resolve("k"), temp.resolve("i"), "test");
        MovableClock clock = new MovableClock(Instant.parse("2025-03-01T10:00:00Z"));
        AtomicInteger boots = new AtomicInteger();
        AtomicBoolean bootWorks = new AtomicBoolean(false);
        AcceleratorProbe.TestBoot testBoot = (h, a, deadline) -> {
            boots.incrementAndGet();
            if (!bootWorks.get()) {
                throw new VmBootException("the guest agent did not report ready within " + deadline.toSeconds() + " s", null);
            }
        };

        AcceleratorChoice first = AcceleratorProbe.choose(home, Map.of(), assets, line -> { }, WORKING, testBoot, clock);
        assertThat(first.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(first.reason()).isEqualTo("a test guest did not boot under KVM within 10 s (nested virtualization?)");

        clock.advance(Duration.ofHours(23));
        bootWorks.set(true);
        AcceleratorChoice recent = AcceleratorProbe.choose(home, Map.of(), assets, line -> { }, WORKING, testBoot, clock);
        assertThat(recent.accelerator()).as("a recent verdict keeps the start fast").isEqualTo(Accelerator.TCG);
        assertThat(recent.reason()).endsWith("(cached; probe again after 2025-03-02T10:00:00Z)");
        assertThat(boots).hasValue(1);

        clock.advance(Duration.ofHours(1));
        AcceleratorChoice reprobed = AcceleratorProbe.choose(home, Map.of(), assets, line -> { }, WORKING, testBoot, clock);
        assertThat(reprobed.accelerator()).as("the failure was not final").isEqualTo(Accelerator.KVM);
        assertThat(boots).hasValue(2);

        clock.advance(Duration.ofDays(365));
        AcceleratorChoice trusted = AcceleratorProbe.choose(home, Map.of(), assets, line -> { }, WORKING, testBoot, clock);
        assertThat(trusted.accelerator()).isEqualTo(Accelerator.KVM);
        assertThat(trusted.reason()).isEqualTo("/dev/kvm works: a test guest booted under KVM (cached)");
        assertThat(boots).as("a guest that booted is trusted until QEMU, kernel or assets change").hasValue(2);
    }

    @Test
    void aTcgVerdictWithoutExpiryAsOlderVersionsWroteItIsProbedAgain() throws Exception {
        SandboxHome home = new SandboxHome(temp);
        GuestAssets assets = new GuestAssets(temp.resolve("k"), temp.resolve("i"), "test");
        Files.createDirectories(home.guest());
        Files.writeString(home.guest().resolve("accelerator-verdict"),
                AcceleratorProbe.cacheKey(assets) + "\nTCG\na test guest did not boot under KVM within 10 s (nested virtualization?)\n");
        AtomicInteger boots = new AtomicInteger();

        AcceleratorChoice choice = AcceleratorProbe.choose(home, Map.of(), assets, line -> { }, WORKING,
                (h, a, deadline) -> boots.incrementAndGet(), Clock.systemUTC());

        assertThat(boots).hasValue(1);
        assertThat(choice.accelerator()).isEqualTo(Accelerator.KVM);
    }

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
