package dev.golemsandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.gvmi.GvmiImage;
import dev.golemsandbox.testing.Prerequisite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A root filesystem directory packed into a GVMI file, read back with the real squashfs tools. */
class RootfsConversionTest {

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsModesOwnersSymlinksAndMetadata() throws Exception {
        Prerequisite.require(Prerequisite.isRoot(), "root: the fixture gives files foreign owners with chown");
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("usr/bin"));
        Files.writeString(rootfs.resolve("usr/bin/tool"), "#!/bin/sh\necho tool\n");
        chmod(rootfs.resolve("usr/bin/tool"), "rwxr-xr-x");
        Files.writeString(rootfs.resolve("usr/bin/suid"), "x");
        Files.setAttribute(rootfs.resolve("usr/bin/suid"), "unix:mode", 04755);
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/secret"), "s3cret\n");
        chmod(rootfs.resolve("etc/secret"), "rw-r-----");
        chown(rootfs.resolve("etc/secret"), 1234, 5678);
        Files.createDirectories(rootfs.resolve("home/golem"));
        chmod(rootfs.resolve("home/golem"), "rwx------");
        chown(rootfs.resolve("home/golem"), 1000, 1000);
        Files.createSymbolicLink(rootfs.resolve("usr/bin/relative"), Path.of("tool"));
        Files.createSymbolicLink(rootfs.resolve("absolute"), Path.of("/usr/bin/tool"));
        Files.createLink(rootfs.resolve("usr/bin/hardlink"), rootfs.resolve("usr/bin/tool"));
        Files.createDirectories(rootfs.resolve("golem/input"));
        Files.createDirectories(rootfs.resolve("golem/output"));

        ConfigOverrides overrides = new ConfigOverrides("/golem/work", List.of("MODE=fast", "EMPTY="),
                List.of("/golem/input", "/golem/output"), null, null, "1000:1000");
        Path output = dir.resolve("out/image.gvmi");
        Files.createDirectories(output.getParent());
        List<String> steps = new ArrayList<>();
        ConversionResult result = new GvmiConverter(Compression.LZO, recording(steps))
                .convertRootfs(rootfs, overrides.applyTo(ContainerConfig.empty()), output);

        Map<String, SquashfsListing.Entry> files = SquashfsListing.of(output);
        assertThat(files.get("/usr/bin/tool").permissions()).isEqualTo("-rwxr-xr-x");
        assertThat(files.get("/usr/bin/suid").permissions()).isEqualTo("-rwsr-xr-x");
        assertThat(files.get("/etc/secret").permissions()).isEqualTo("-rw-r-----");
        assertThat(files.get("/etc/secret").owner()).isEqualTo("1234:5678");
        assertThat(files.get("/home/golem").permissions()).isEqualTo("drwx------");
        assertThat(files.get("/home/golem").owner()).isEqualTo("1000:1000");
        assertThat(files.get("/usr/bin/relative").linkTarget()).isEqualTo("tool");
        assertThat(files.get("/absolute").linkTarget()).isEqualTo("/usr/bin/tool");
        assertThat(files.get("/usr/bin/hardlink").size()).isEqualTo(files.get("/usr/bin/tool").size());
        assertThat(SquashfsListing.cat(output, "/etc/secret")).isEqualTo("s3cret\n");

        GvmiImage image = GvmiImage.open(output);
        assertThat(image.config().workingDir()).contains("/golem/work");
        assertThat(image.config().env()).containsExactly("MODE=fast", "EMPTY=");
        assertThat(image.config().volumes()).containsExactly("/golem/input", "/golem/output");
        assertThat(image.config().user()).contains("1000:1000");
        assertThat(result.config()).isEqualTo(image.config());

        assertThat(result.file()).isEqualTo(output);
        assertThat(result.size()).isEqualTo(Files.size(output));
        assertThat(result.sha3()).isEqualTo(opensslSha3(output)).isEqualTo(image.sha3());
        assertThat(result.warnings()).isEmpty();
        assertThat(steps).anyMatch(s -> s.startsWith("compressing squashfs (lzo)"));
        assertThat(Files.list(output.getParent()).toList()).containsExactly(output);
    }

    @Test
    void lintsWarnAboutFilesUnderVolumesEntrypointAndMissingVolumes() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("golem/work"));
        Files.writeString(rootfs.resolve("golem/work/data.txt"), "hidden at runtime");
        ContainerConfig config = ContainerConfig.empty()
                .withVolumes(List.of("/golem/work"))
                .withEntrypoint(List.of("/app"))
                .withCmd(List.of("--serve"));

        ConversionResult result = new GvmiConverter(Compression.GZIP, ProgressListener.NONE)
                .convertRootfs(rootfs, config, dir.resolve("lint.gvmi"));

        assertThat(result.warnings()).containsExactlyInAnyOrder(
                "the image has files under /golem/work, but a provider mounts an empty host directory over this VOLUME,"
                        + " hiding them; put them outside the volume",
                "ENTRYPOINT [/app] / CMD [--serve] are ignored by providers: nothing runs until the requestor runs a command");

        ConversionResult noVolumes = new GvmiConverter(Compression.LZ4, ProgressListener.NONE)
                .convertRootfs(rootfs, ContainerConfig.empty(), dir.resolve("novolume.gvmi"));
        assertThat(noVolumes.warnings()).singleElement().asString().startsWith("the image declares no VOLUME");
    }

    @Test
    void eachCompressionIsWhatSquashfsRecords() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Files.writeString(rootfs.resolve("file"), "content ".repeat(1000));
        for (Compression compression : Compression.values()) {
            Path output = dir.resolve(compression.toolName() + ".gvmi");
            ConversionResult result = new GvmiConverter(compression, ProgressListener.NONE)
                    .convertRootfs(rootfs, ContainerConfig.empty().withVolumes(List.of("/golem/output")), output);
            assertThat(squashfsCompression(output)).isEqualTo(compression.toolName());
            assertThat(GvmiImage.open(output).squashfsCompression()).isEqualTo(compression.toolName());
            if (compression == Compression.ZSTD) {
                assertThat(result.warnings()).contains("zstd-compressed images are rejected by providers on the public"
                        + " Golem network; use lzo (the default) for images you publish");
            } else {
                assertThat(result.warnings()).isEmpty();
            }
        }
    }

    @Test
    void outputInsideTheRootfsIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        assertThatThrownBy(() -> new GvmiConverter(Compression.LZO, ProgressListener.NONE)
                .convertRootfs(rootfs, ContainerConfig.empty(), rootfs.resolve("self.gvmi")))
                .isInstanceOf(ImageConversionException.class)
                .hasMessage("the output " + rootfs.resolve("self.gvmi") + " must not be inside the root filesystem "
                        + rootfs + " it is made from");
        assertThat(Files.list(rootfs).toList()).isEmpty();
    }

    @Test
    void aMissingDirectoryIsOneClearError() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> new GvmiConverter(Compression.LZO, ProgressListener.NONE)
                .convertRootfs(missing, ContainerConfig.empty(), dir.resolve("x.gvmi")))
                .isInstanceOf(ImageConversionException.class)
                .hasMessage(missing + " is not a directory");
    }

    static ProgressListener recording(List<String> steps) {
        return new ProgressListener() {
            @Override
            public void step(String description) {
                steps.add(description);
            }

            @Override
            public void progress(String step, long done, long total) {
            }
        };
    }

    static String opensslSha3(Path file) throws Exception {
        Process p = new ProcessBuilder("openssl", "dgst", "-sha3-224", "-r", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.split(" ")[0].trim();
    }

    private static String squashfsCompression(Path image) throws Exception {
        Process p = new ProcessBuilder("unsquashfs", "-s", image.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out.lines().filter(l -> l.startsWith("Compression ")).findFirst().orElseThrow().substring("Compression ".length()).trim();
    }

    private static void chmod(Path file, String permissions) throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    }

    private static void chown(Path file, int uid, int gid) throws Exception {
        Files.setAttribute(file, "unix:uid", uid);
        Files.setAttribute(file, "unix:gid", gid);
    }
}
