package dev.golemsandbox.exeunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import dev.golemsandbox.volume.ShareModel;
import dev.golemsandbox.volume.VolumeEntry;
import dev.golemsandbox.volume.VolumeFiles;
import dev.golemsandbox.volume.VolumePath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes on a filesystem without user xattrs (ramfs here; tmpfs before Linux 6.6 and some
 * overlays in containers are others): the probe picks mapped-file, and the guest still sees what
 * it makes while the host sees only plain files. Mounting ramfs needs root, as CI has.
 */
class MappedFileShareTest {

    @TempDir
    static Path temp;

    static Path mount;
    static QemuVmRuntime runtime;
    static ExeUnit unit;

    @BeforeAll
    static void boot() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            if ("true".equals(System.getenv("CI"))) {
                fail("mounting a ramfs for the volumes needs root, and CI must run this test");
            }
            Assumptions.abort("mounting a ramfs for the volumes needs root");
        }
        mount = Files.createDirectories(temp.resolve("ramfs"));
        assertThat(new ProcessBuilder("mount", "-t", "ramfs", "ramfs", mount.toString()).inheritIO().start().waitFor())
                .isZero();
        Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.VOLUMES_CONFIG);
        runtime = TestRuntime.create();
        unit = runtime.newExeUnit(image, new Resources(1, 256, 64), mount.resolve("unit"));
        unit.deploy();
        unit.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        if (mount != null) {
            new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
        }
    }

    private static String sh(String line) throws Exception {
        ProcessResult result = unit.run(new RunSpec("/bin/sh", List.of("-c", line), Map.of()), OutputListener.NONE)
                .result().get(120, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(new String(result.stderr(), StandardCharsets.UTF_8)).isZero();
        return new String(result.stdout(), StandardCharsets.UTF_8);
    }

    @Test
    void theGuestKeepsItsLinksFifosOwnersAndModesWhileTheHostHasPlainFiles() throws Exception {
        assertThat(ShareModel.probe(mount)).isEqualTo(ShareModel.MAPPED_FILE);

        String listing = sh("cd /golem/output && ln -s /etc/shadow link && mkfifo pipe && echo x > tool"
                + " && chown 1234:5678 tool && chmod 4755 tool && readlink link && ls -ln pipe tool");

        assertThat(listing).startsWith("/etc/shadow\n").contains("prw-").contains("-rwsr-xr-x    1 1234     5678");
        VolumePath output = unit.volumePathOf("/golem/output");
        for (String name : List.of("link", "pipe", "tool")) {
            Path host = output.hostPath().resolve(name);
            assertThat(Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS)).as(name + " on the host").isTrue();
            assertThat((int) Files.getAttribute(host, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07077)
                    .as(name + ": no setuid bit and nothing for other host users").isZero();
        }
        try (VolumeFiles files = VolumeFiles.open(output.volumeDir())) {
            try (VolumeEntry link = files.resolve("link")) {
                assertThat(link.kind()).isEqualTo(VolumeEntry.Kind.SYMLINK);
                assertThat(link.linkTarget()).isEqualTo("/etc/shadow");
            }
            try (VolumeEntry pipe = files.resolve("pipe")) {
                assertThat(pipe.kind()).isEqualTo(VolumeEntry.Kind.OTHER);
            }
            try (VolumeEntry tool = files.resolve("tool"); VolumeEntry root = files.root()) {
                assertThat(tool.permissions()).isEqualTo(04755);
                assertThat(root.names()).containsExactly("link", "pipe", "tool");
            }
        }
    }
}
