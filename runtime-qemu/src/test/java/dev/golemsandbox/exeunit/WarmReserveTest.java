package dev.golemsandbox.exeunit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.reserve.ReserveCounts;
import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm reserve with real VMs: a reserved VM handed to an exe-unit is as fresh as a booted
 * one, a VM that cannot be resumed gives way to a cold boot, and nothing of the reserve outlives
 * its runtime.
 */
class WarmReserveTest {

    private static final Resources SHAPE = new Resources(1, 256, 256);
    private static final Duration REFILL = Duration.ofMinutes(3);
    /** Longer than the clock check's tolerance: a guest clock that was not set would be this far behind. */
    private static final Duration PAUSED_AT_LEAST = Duration.ofSeconds(6);

    @TempDir
    Path temp;

    private QemuVmRuntime runtime;
    private Path image;
    private int units;

    @BeforeEach
    void startRuntime() throws Exception {
        image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.standardConfig());
        runtime = TestRuntime.create();
        runtime.keepWarm(1, temp.resolve("reserve"));
    }

    @AfterEach
    void closeRuntime() {
        runtime.close();
    }

    private QemuExeUnit started() throws Exception {
        QemuExeUnit unit = (QemuExeUnit) runtime.newExeUnit(image, SHAPE, Files.createDirectories(temp.resolve("unit-" + ++units)));
        unit.deploy();
        unit.start();
        return unit;
    }

    /** The next unit, once the reserve holds a VM that has stood paused long enough to miss some time. */
    private QemuExeUnit startedFromReserve() throws Exception {
        assertThat(runtime.reserve().awaitPaused(1, REFILL)).as("the reserve refilled").isTrue();
        Thread.sleep(PAUSED_AT_LEAST.toMillis());
        QemuExeUnit unit = started();
        assertThat(unit.fromReserve()).as("the unit got the reserved VM").isTrue();
        return unit;
    }

    private static String sh(ExeUnit unit, String line) throws Exception {
        ProcessResult result = unit.run(new RunSpec("/bin/sh", List.of("-c", line), Map.of()), OutputListener.NONE)
                .result().get(60, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(line + ": " + new String(result.stderr(), StandardCharsets.UTF_8)).isZero();
        return new String(result.stdout(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void aReservedVmIsAsFreshAsABootedOneAndKnowsTheTime() throws Exception {
        QemuExeUnit cold = started();
        assertThat(cold.fromReserve()).as("the first unit of an image boots").isFalse();
        String coldHost = sh(cold, "hostname");
        cold.stop();

        QemuExeUnit first = startedFromReserve();
        String firstHost = sh(first, "hostname");
        sh(first, "echo left > /tmp/left; echo left > /golem/output/left; (sleep 1000 &)");
        assertThat(Files.readString(first.hostPathOf("/golem/output/left"))).as("volumes write through to the unit's directory")
                .isEqualTo("left\n");
        assertThat(first.hostPathOf("/golem/output")).startsWith(temp.resolve("unit-2"));
        first.stop();

        QemuExeUnit second = startedFromReserve();
        assertThat(sh(second, "hostname")).isNotEqualTo(firstHost).isNotEqualTo(coldHost);
        assertThat(sh(second, "ls -A /tmp /golem/output")).doesNotContain("left");
        assertThat(sh(second, "ps -o comm | grep -c '^sleep' || true")).isEqualTo("0");
        long guestSeconds = Long.parseLong(sh(second, "date +%s"));
        assertThat(guestSeconds).as("the guest clock was set on resume")
                .isBetween(Instant.now().getEpochSecond() - 3, Instant.now().getEpochSecond() + 3);
        second.stop();
    }

    @Test
    void aVmStillBootingIsWaitedForInsteadOfBootingAnother() throws Exception {
        started().stop();
        long end = System.nanoTime() + REFILL.toNanos();
        while (runtime.reserveCounts().orElseThrow().waiting() == 0 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        ReserveCounts booting = runtime.reserveCounts().orElseThrow();
        assertThat(booting.waiting()).as("a refill boot began").isEqualTo(1);

        QemuExeUnit unit = started();

        assertThat(unit.fromReserve()).isTrue();
        assertThat(sh(unit, "echo claimed > /golem/output/claimed; cat /golem/output/claimed")).isEqualTo("claimed");
        assertThat(Files.readString(unit.hostPathOf("/golem/output/claimed"))).isEqualTo("claimed\n");
        unit.stop();
    }

    @Test
    void aVmThatCannotBeResumedGivesWayToAColdBoot() throws Exception {
        started().stop();
        assertThat(runtime.reserve().awaitPaused(1, REFILL)).isTrue();
        long hung = runtime.reserve().waitingPids().get(0);
        // A QEMU that no longer answers: its monitor accepts the connection but never replies.
        assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(hung)).start().waitFor()).isZero();

        QemuExeUnit unit = started();

        assertThat(unit.fromReserve()).isFalse();
        assertThat(unit.state()).isEqualTo(ExeUnitState.READY);
        assertThat(sh(unit, "echo booted")).isEqualTo("booted");
        assertThat(runtime.reserveCounts().map(ReserveCounts::failedResumes)).contains(1L);
        assertThat(ProcessHandle.of(hung).map(ProcessHandle::isAlive).orElse(false)).as("the hung QEMU was killed").isFalse();
        unit.stop();
    }

    @Test
    void closingTheRuntimeKillsTheReserveAndDeletesItsFiles() throws Exception {
        started().stop();
        assertThat(runtime.reserve().awaitPaused(1, REFILL)).isTrue();
        List<ProcessHandle> reserved = runtime.reserve().waitingPids().stream()
                .map(pid -> ProcessHandle.of(pid).orElseThrow()).toList();
        assertThat(reserved).hasSize(1);

        runtime.close();

        assertThat(runtime.reserveCounts().orElseThrow().waiting()).isZero();
        for (ProcessHandle qemu : reserved) {
            qemu.onExit().get(10, TimeUnit.SECONDS);
            assertThat(qemu.isAlive()).isFalse();
        }
        assertThat(temp.resolve("reserve")).doesNotExist();
    }
}
