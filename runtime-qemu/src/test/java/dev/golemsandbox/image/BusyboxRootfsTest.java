package dev.golemsandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.gvmi.GvmiImage;
import dev.golemsandbox.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default image made offline from the host's static busybox. */
class BusyboxRootfsTest {

    @TempDir
    Path dir;

    @Test
    void defaultImageHasAShellCoreutilsUsersWorkdirAndVolumes() throws Exception {
        Path image = TestImages.defaultImage(dir);

        Map<String, SquashfsListing.Entry> files = SquashfsListing.of(image);
        assertThat(files.get("/bin/busybox").permissions()).isEqualTo("-rwxr-xr-x");
        for (String applet : new String[] {"/bin/sh", "/bin/ls", "/bin/cat", "/bin/dd", "/usr/bin/sha256sum"}) {
            assertThat(files.get(applet)).as(applet).isNotNull();
            assertThat(files.get(applet).linkTarget()).as(applet).isEqualTo("/bin/busybox");
        }
        assertThat(files.get("/tmp").permissions()).isEqualTo("drwxrwxrwt");
        assertThat(files.get("/home/golem").owner()).isEqualTo("1000:1000");
        assertThat(files.get("/root").permissions()).isEqualTo("drwx------");
        assertThat(files.get("/golem/work").type()).isEqualTo('d');
        assertThat(SquashfsListing.cat(image, "/etc/passwd"))
                .contains("root:x:0:0:root:/root:/bin/sh")
                .contains("golem:x:1000:1000:golem:/home/golem:/bin/sh");
        assertThat(SquashfsListing.cat(image, "/etc/group")).contains("golem:x:1000:");

        ContainerConfig config = GvmiImage.open(image).config();
        assertThat(config.workingDir()).contains("/golem/work");
        assertThat(config.volumes()).containsExactly("/golem/input", "/golem/output", "/golem/work");
        assertThat(config.envMap()).containsKey("PATH");
        assertThat(BusyboxRootfs.fromHost().isBuildOf(config)).isTrue();
        assertThat(config.labels().get(BusyboxRootfs.BUSYBOX_VERSION_LABEL)).startsWith("BusyBox v");
    }

    @Test
    void sameBusyboxGivesTheSameBytes() throws Exception {
        BusyboxRootfs recipe = BusyboxRootfs.fromHost();
        GvmiConverter converter = new GvmiConverter(Compression.LZO, ProgressListener.NONE);
        ConversionResult first = converter.convertBusyboxImage(recipe, dir.resolve("a.gvmi"));
        ConversionResult second = converter.convertBusyboxImage(recipe, dir.resolve("b.gvmi"));
        assertThat(second.sha3()).isEqualTo(first.sha3());
        assertThat(first.warnings()).as("the default image trips no lint").isEmpty();
    }

    @Test
    void aDynamicallyLinkedBusyboxIsRefusedWithTheFix() throws Exception {
        Path dynamic = Path.of("/bin/ls");
        assertThatThrownBy(() -> BusyboxRootfs.of(dynamic))
                .isInstanceOf(ToolUnavailableException.class)
                .hasMessage("/bin/ls is not a statically linked x86-64 busybox, which the default image needs:"
                        + " install Debian's busybox-static ('apt-get install busybox-static')");
        Path missing = dir.resolve("busybox");
        assertThatThrownBy(() -> BusyboxRootfs.of(missing))
                .isInstanceOf(ToolUnavailableException.class)
                .hasMessage("the default image needs a static busybox at " + missing
                        + ": install Debian's busybox-static ('apt-get install busybox-static')");
        assertThat(Files.exists(missing)).isFalse();
    }

    @Test
    void labelsOfAnotherBusyboxAreNotCurrent() throws Exception {
        BusyboxRootfs recipe = BusyboxRootfs.fromHost();
        ContainerConfig other = recipe.config().withLabels(Map.of(
                BusyboxRootfs.RECIPE_LABEL, BusyboxRootfs.RECIPE,
                BusyboxRootfs.BUSYBOX_SHA256_LABEL, "0".repeat(64)));
        assertThat(recipe.isBuildOf(other)).isFalse();
        assertThat(recipe.isBuildOf(ContainerConfig.empty())).isFalse();
    }
}
