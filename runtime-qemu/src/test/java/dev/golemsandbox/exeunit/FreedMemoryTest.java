package dev.golemsandbox.exeunit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import java.io.IOException;
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
 * A VM whose guest reports its free pages (virtio-balloon) still gives a command all the memory
 * its offer states, and what the command used stops costing the host once it is freed.
 */
class FreedMemoryTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path temp;

    @Test
    void memoryAGuestCommandUsedGoesBackToTheHostWhenFreed() throws Exception {
        Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.VOLUMES_CONFIG);
        try (QemuVmRuntime runtime = TestRuntime.create()) {
            ExeUnit unit = runtime.newExeUnit(image, new Resources(1, 1024, 512), temp.resolve("unit"));
            unit.deploy();
            unit.start();
            long qemu = ((QemuExeUnit) unit).vm().pid();

            // 300 MiB in a process's heap (dd's buffer), then 300 MiB kept in the guest's tmpfs.
            ProcessResult heap = run(unit, "dd if=/dev/zero of=/dev/null bs=300M count=1 2>&1");
            assertThat(heap.exitCode()).as("dd with a 300 MiB buffer: %s", text(heap)).isZero();
            assertThat(text(heap)).as("one whole 300 MiB record read and written").contains("1+0 records out");
            ProcessResult kept = run(unit, "dd if=/dev/zero of=/tmp/big bs=1M count=300 2>/dev/null && wc -c < /tmp/big");
            assertThat(text(kept).trim()).as("bytes kept in /tmp").isEqualTo("314572800");
            long holding = guestRamMib(qemu);
            assertThat(holding).as("guest RAM on the host while /tmp holds 300 MiB (MiB)").isGreaterThan(300);

            assertThat(run(unit, "rm /tmp/big").exitCode()).isZero();
            long released = holding;
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (released > holding - 200 && Instant.now().isBefore(deadline)) {
                Thread.sleep(500);
                released = guestRamMib(qemu);
            }
            assertThat(released).as("guest RAM on the host after the guest freed 300 MiB (MiB), was %d", holding)
                    .isLessThanOrEqualTo(holding - 200);
            assertThat(text(run(unit, "echo still here"))).isEqualTo("still here\n");
            unit.stop();
        }
    }

    private static ProcessResult run(ExeUnit unit, String line) throws Exception {
        return unit.run(new RunSpec("/bin/sh", List.of("-c", line), Map.of()), OutputListener.NONE)
                .result().get(5, TimeUnit.MINUTES);
    }

    private static String text(ProcessResult result) {
        return new String(result.stdout(), StandardCharsets.UTF_8);
    }

    /** The guest's RAM QEMU holds: a memfd, so the shared part of its resident memory. */
    private static long guestRamMib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("RssShmem:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024 / MIB;
            }
        }
        throw new IOException("no RssShmem in /proc/" + pid + "/status");
    }
}
