package dev.golemsandbox.exeunit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk as the guest sees it in its volumes: every change fails with ENOSPC, nested volumes
 * and a working directory inside one included, reads still work, nothing reaches the host, and
 * once the disk has room again the volumes are as they were.
 */
class FullVolumesTest {

    /** A volume inside another, and the working directory inside the inner one. */
    private static final ContainerConfig NESTED = ContainerConfig.empty()
            .withEnv(List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"))
            .withWorkingDir("/data/inner")
            .withVolumes(List.of("/data", "/data/inner", "/golem/output"));
    private static final String NO_SPACE = "No space left on device";

    @TempDir
    static Path temp;

    static QemuVmRuntime runtime;
    static ExeUnit unit;
    static Deployment deployment;

    @BeforeAll
    static void boot() throws Exception {
        Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), NESTED);
        runtime = TestRuntime.create();
        unit = runtime.newExeUnit(image, new Resources(1, 256, 256), temp.resolve("unit"));
        deployment = unit.deploy();
        unit.start();
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @BeforeEach
    void volumesHoldTwoFiles() throws Exception {
        Files.writeString(volume("/data").resolve("kept.txt"), "kept\n");
        Files.writeString(volume("/data/inner").resolve("nested.txt"), "nested\n");
    }

    @AfterEach
    void roomAgain() throws Exception {
        unit.diskFull(false);
        assertThat(sh("rm -rf /data/kept.txt /data/inner/* /golem/output/*").exitCode()).isZero();
    }

    private static ProcessResult sh(String line) throws Exception {
        return unit.run(RunSpec.shell(line), OutputListener.NONE).result().get(120, TimeUnit.SECONDS);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Path volume(String containerPath) {
        return deployment.volumes().stream().filter(v -> v.containerPath().equals(containerPath))
                .findFirst().orElseThrow().hostDir();
    }

    /** Each file under the volumes' host directories with its content, and each directory. */
    private static String hostTree() throws Exception {
        Path share = volume("/data").getParent();
        StringBuilder tree = new StringBuilder();
        try (Stream<Path> paths = Files.walk(share)) {
            for (Path path : paths.sorted().toList()) {
                tree.append(share.relativize(path)).append(Files.isDirectory(path) ? "/" : ": " + Files.readString(path)).append('\n');
            }
        }
        return tree.toString();
    }

    @Test
    void everyChangeToAVolumeFailsWithNoSpaceWhileReadsWorkAndTheHostGetsNothing() throws Exception {
        String mountsBefore = text(sh("cat /proc/mounts").stdout());
        assertThat(mountsBefore).as("a VM whose disk was never full has no overlay on a volume")
                .doesNotContainPattern("(?m)^overlay /(data|golem)");
        String treeBefore = hostTree();

        unit.diskFull(true);
        List<String> changes = List.of("echo new > /data/new.txt", "echo more >> /data/kept.txt", ": > /data/kept.txt",
                "mkdir /data/dir", "mv /data/kept.txt /data/moved.txt", "rm /data/kept.txt", "touch /data/kept.txt",
                "echo new > /data/inner/new.txt", "echo more >> /data/inner/nested.txt", "echo new > relative.txt",
                "mkdir /golem/output/dir", "dd if=/dev/zero of=/golem/output/zeros bs=4096 count=4");
        for (String change : changes) {
            ProcessResult result = sh(change);
            assertThat(result.exitCode()).as(change).isNotZero();
            assertThat(text(result.stderr())).as(change).contains(NO_SPACE);
        }
        assertThat(text(sh("pwd; cat /data/kept.txt nested.txt").stdout())).isEqualTo("/data/inner\nkept\nnested\n");
        assertThat(hostTree()).isEqualTo(treeBefore);

        unit.diskFull(false);
        assertThat(text(sh("cat /proc/mounts").stdout())).isEqualTo(mountsBefore);
        ProcessResult after = sh("echo more >> /data/kept.txt && echo new > relative.txt && mkdir /golem/output/dir");
        assertThat(after.exitCode()).as(text(after.stderr())).isZero();
        assertThat(Files.readString(volume("/data").resolve("kept.txt"))).isEqualTo("kept\nmore\n");
        assertThat(Files.readString(volume("/data/inner").resolve("relative.txt"))).isEqualTo("new\n");
        assertThat(volume("/golem/output").resolve("dir")).isDirectory();
    }

    @Test
    void aProcessStillInAFullVolumeDoesNotKeepItFullForTheNextCommands() throws Exception {
        unit.diskFull(true);
        RunningProcess stays = unit.run(new RunSpec("/bin/sleep", List.of("600"), Map.of()), OutputListener.NONE);
        try {
            assertThat(text(sh("readlink /proc/" + stays.pid() + "/cwd").stdout())).isEqualTo("/data/inner\n");

            unit.diskFull(false);
            ProcessResult after = sh("echo new > relative.txt && echo more >> /data/kept.txt");
            assertThat(after.exitCode()).as(text(after.stderr())).isZero();
            assertThat(Files.readString(volume("/data/inner").resolve("relative.txt"))).isEqualTo("new\n");
            assertThat(Files.readString(volume("/data").resolve("kept.txt"))).isEqualTo("kept\nmore\n");

            unit.diskFull(true);
            ProcessResult fullAgain = sh("echo again > relative.txt");
            assertThat(text(fullAgain.stderr())).contains(NO_SPACE);
            assertThat(Files.readString(volume("/data/inner").resolve("relative.txt"))).isEqualTo("new\n");
        } finally {
            stays.kill(9);
        }
    }
}
