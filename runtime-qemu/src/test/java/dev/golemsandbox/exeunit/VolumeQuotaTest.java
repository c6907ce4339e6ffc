package dev.golemsandbox.exeunit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import dev.golemsandbox.volume.VolumeUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A guest that writes into its volumes without end fills the agreed storage, not the host's disk. */
class VolumeQuotaTest {

    private static final long STORAGE_MIB = 16;
    /** More than the guest could write in the time between two measurements, even with KVM. */
    private static final long MAX_FILES = 400;

    @TempDir
    static Path temp;

    static QemuVmRuntime runtime;
    static ExeUnit unit;

    @BeforeAll
    static void boot() throws Exception {
        Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.VOLUMES_CONFIG);
        runtime = TestRuntime.create();
        unit = runtime.newExeUnit(image, new Resources(1, 256, STORAGE_MIB), temp.resolve("unit"));
        unit.deploy();
        unit.start();
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static ProcessResult sh(String line) throws Exception {
        return unit.run(new RunSpec("/bin/sh", List.of("-c", line), Map.of()), OutputListener.NONE)
                .result().get(300, TimeUnit.SECONDS);
    }

    @Test
    void aGuestFillingItsVolumesGetsFileTooLargeAtTheAgreedStorageAndCanWriteAgainOnceItDeletes() throws Exception {
        ProcessResult fill = sh("i=0; while [ $i -lt " + MAX_FILES + " ]; do"
                + " dd if=/dev/urandom of=/golem/output/fill-$i bs=1048576 count=1 2>/tmp/dd.err || break; i=$((i+1)); done;"
                + " echo $i; cat /tmp/dd.err");
        String[] lines = new String(fill.stdout(), StandardCharsets.UTF_8).split("\n", 2);
        long written = Long.parseLong(lines[0].trim());

        assertThat(written).as("the guest was stopped before it wrote %d MiB", MAX_FILES)
                .isGreaterThanOrEqualTo(STORAGE_MIB - 1).isLessThan(MAX_FILES);
        assertThat(lines[1]).contains("File too large");
        Path share = unit.hostPathOf("/golem/output").getParent();
        assertThat(VolumeUsage.bytes(share)).isLessThan(MAX_FILES << 20);
        assertThat(sh("echo still alive").exitCode()).as("QEMU lives on through the refused writes").isZero();

        ProcessResult again = sh("rm -f /golem/output/fill-*; for t in $(seq 100); do"
                + " echo fits > /golem/output/after 2>/dev/null && cat /golem/output/after && exit 0; sleep 0.1; done; exit 1");
        assertThat(again.exitCode()).isZero();
        assertThat(new String(again.stdout(), StandardCharsets.UTF_8)).isEqualTo("fits\n");
    }
}
