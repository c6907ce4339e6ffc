package dev.golemsandbox.exeunit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import dev.golemsandbox.vm.ConsoleLogCap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Root in the VM writing its serial console without end cannot fill the host's disk. */
class ConsoleFloodTest {

    @TempDir
    Path temp;

    @Test
    void aGuestFloodingItsConsoleLeavesALogUnderTheCap() throws Exception {
        Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.VOLUMES_CONFIG);
        try (QemuVmRuntime runtime = TestRuntime.create()) {
            ExeUnit unit = runtime.newExeUnit(image, new Resources(1, 256, 256), temp.resolve("unit"));
            unit.deploy();
            unit.start();
            Path log = ((QemuExeUnit) unit).vm().consoleLog();
            // 10 MiB to the serial console as root, more than the cap.
            RunningProcess flood = unit.run(new RunSpec("/bin/sh", List.of("-c",
                    "head -c 10485760 /dev/zero | tr '\\0' x > /dev/ttyS0"),
                    Map.of()), OutputListener.NONE);
            long largest = 0;
            Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
            while (!flood.result().isDone() && Instant.now().isBefore(deadline)) {
                largest = Math.max(largest, Files.exists(log) ? Files.size(log) : 0);
                Thread.sleep(100);
            }
            flood.result().get(1, TimeUnit.MINUTES);
            largest = Math.max(largest, Files.size(log));

            assertThat(Files.readString(log)).as("the log says it was emptied").contains("the console log passed");
            assertThat(largest).as("the largest the log grew (bytes)").isLessThan(ConsoleLogCap.MAX_BYTES + (8L << 20));
            unit.stop();
        }
    }
}
