package dev.golemsandbox.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.junit.GolemSandbox;
import dev.golemsandbox.junit.GolemSandboxTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VOLUME is a host directory mounted into the VM: it starts empty (hiding whatever the image put
 * at that path), and what the VM writes there lands on the host's disk. Everything else the VM
 * writes lives in its memory.
 */
@GolemSandboxTest(shared = true)
class VolumesTest {

    @BeforeAll
    static void image(GolemSandbox sandbox, @TempDir Path dir) throws Exception {
        BehavioursImage.pushTo(sandbox, dir);
    }

    @Test
    void aVolumeIsAnEmptyDirectoryThatHidesWhatTheImagePutThere(GolemSandbox sandbox) {
        try (Rental rental = sandbox.requestor().rent(RentalSpec.imageTag(BehavioursImage.TAG));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();

            assertThat(activity.shell("ls -A /golem/input").stdoutText()).isEmpty();
            assertThat(activity.shell("cat /opt/app/data.txt").stdout()).isEqualTo("shipped in the image\n");
        }
    }

    @Test
    void filesInVolumesLandOnTheHostsDiskAndFilesElsewhereLiveInVmMemory(GolemSandbox sandbox) throws Exception {
        try (Rental rental = sandbox.requestor().rent(RentalSpec.imageTag(BehavioursImage.TAG));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            Path output = sandbox.hostDirOf(activity, "/golem/output");

            activity.shell("dd if=/dev/zero of=/golem/output/big.bin bs=1M count=16");
            assertThat(output.resolve("big.bin")).hasSize(16L << 20);

            long shmemBefore = shmemKib(activity);
            activity.shell("dd if=/dev/zero of=/root/big.bin bs=1M count=16");
            long shmemAfter = shmemKib(activity);
            assertThat(shmemAfter - shmemBefore).as("KiB of VM memory the file outside volumes took")
                    .isGreaterThanOrEqualTo(15 * 1024);
            try (Stream<Path> volumesOnHost = Files.walk(output.getParent())) {
                assertThat(volumesOnHost.filter(p -> p.getFileName().toString().equals("big.bin")))
                        .as("copies of big.bin on the host's disk").containsExactly(output.resolve("big.bin"));
            }
        }
    }

    /** The guest's Shmem counter: the in-RAM overlay (tmpfs) that holds files written outside volumes. */
    private static long shmemKib(Activity activity) {
        String line = activity.shell("grep '^Shmem:' /proc/meminfo").stdout();
        return Long.parseLong(line.replaceAll("\\D+", ""));
    }
}
