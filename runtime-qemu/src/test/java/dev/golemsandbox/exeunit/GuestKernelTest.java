package dev.golemsandbox.exeunit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.guest.GuestAssets;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest boots the sandbox's own kernel by default, and it offers what a requestor's programs
 * use of Linux; Debian's generic kernel, the fallback, still boots and runs a command.
 */
class GuestKernelTest {

    @TempDir
    Path temp;

    @Test
    void theSandboxKernelOffersWhatProgramsInAnImageUse() throws Exception {
        Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.VOLUMES_CONFIG);
        try (QemuVmRuntime runtime = TestRuntime.create()) {
            assertThat(runtime.assets().version()).startsWith("sandbox-kernel_");
            ExeUnit unit = runtime.newExeUnit(image, new Resources(2, 512, 512), temp.resolve("unit"));
            unit.deploy();
            unit.start();

            assertThat(run(unit, "uname -r").trim()).endsWith("-golem-sandbox");
            long guestSeconds = Long.parseLong(run(unit, "date +%s").trim());
            assertThat(guestSeconds).as("the guest's clock")
                    .isBetween(Instant.now().getEpochSecond() - 5, Instant.now().getEpochSecond() + 1);
            long before = System.nanoTime();
            assertThat(run(unit, "head -c 16 /dev/urandom | wc -c").trim()).isEqualTo("16");
            assertThat(Duration.ofNanos(System.nanoTime() - before)).as("entropy comes from the host, not minutes of jitter")
                    .isLessThan(Duration.ofSeconds(20));
            assertThat(run(unit, "cat /proc/filesystems")).contains("9p", "squashfs", "overlay", "tmpfs", "devpts", "proc");
            assertThat(run(unit, "grep -c ^processor /proc/cpuinfo").trim()).isEqualTo("2");
            assertThat(run(unit, "ls /proc/self/ns")).contains("ipc", "net", "pid", "user", "uts");
            assertThat(run(unit, "grep -E '^(Seccomp):' /proc/self/status")).contains("Seccomp");
            assertThat(run(unit, "mkfifo /tmp/f && (echo through-a-fifo > /tmp/f &) && cat /tmp/f")).isEqualTo("through-a-fifo\n");
            assertThat(run(unit, "ls /dev/ptmx /dev/pts")).contains("/dev/ptmx");
            assertThat(run(unit, "echo in-a-volume > /golem/output/k && cat /golem/output/k")).isEqualTo("in-a-volume\n");
            assertThat(run(unit, "grep -c sit0 /proc/net/dev || true").trim()).as("no sit0 tunnel").isEqualTo("0");
            unit.stop();
        }
    }

    @Test
    void debiansKernelStillBootsWhenAskedFor() throws Exception {
        Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.VOLUMES_CONFIG);
        RuntimeSettings settings = RuntimeSettings.of(TestRuntime.sharedCache())
                .withEnv(Map.of(GuestAssets.GUEST_KERNEL_ENV, "debian"))
                .withProgress(line -> System.out.println("[runtime] " + line));
        try (QemuVmRuntime runtime = new QemuVmRuntime(settings)) {
            assertThat(runtime.assets().version()).startsWith("linux-image-");
            ExeUnit unit = runtime.newExeUnit(image, new Resources(1, 512, 512), temp.resolve("unit"));
            unit.deploy();
            unit.start();
            assertThat(run(unit, "uname -r").trim()).endsWith("-amd64");
            assertThat(run(unit, "echo in-a-volume > /golem/output/k && cat /golem/output/k")).isEqualTo("in-a-volume\n");
            unit.stop();
        }
    }

    private static String run(ExeUnit unit, String line) throws Exception {
        ProcessResult result = unit.run(new RunSpec("/bin/sh", List.of("-c", line), Map.of()), OutputListener.NONE)
                .result().get(2, TimeUnit.MINUTES);
        String out = new String(result.stdout(), StandardCharsets.UTF_8);
        assertThat(result.exitCode()).as("%s: %s %s", line, out, new String(result.stderr(), StandardCharsets.UTF_8)).isZero();
        return out;
    }
}
