package dev.golemsandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.gvmi.GvmiImage;
import dev.golemsandbox.testing.Prerequisite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved images with several layers ({@code docker save} tarballs and OCI layouts) converted into
 * GVMI files: layers in order, whiteouts, opaque directories, owners, modes, links and devices.
 */
class LayeredImageConversionTest {

    private static final ContainerConfig CONFIG = ContainerConfig.empty()
            .withEnv(List.of("PATH=/usr/bin:/bin", "FOO=bar"))
            .withWorkingDir("/app")
            .withVolumes(List.of("/golem/output"))
            .withUser("1234");

    /** Every path the three layers below leave in the image. */
    private static final List<String> EXPECTED_PATHS = List.of(
            "/", "/app", "/app/hard", "/app/keep.txt", "/app/late", "/app/link", "/app/link/inner",
            "/bin", "/bin/suid", "/data", "/data/new", "/dev", "/dev/null", "/etc", "/etc/passwd",
            "/run", "/run/fifo");

    @TempDir
    Path dir;

    @Test
    void dockerSaveTarballGivesExactlyTheFilesOfTheLastLayerView() throws Exception {
        Path archive = SavedImages.dockerSave(dir.resolve("app.tar"), CONFIG, layers());
        Path output = dir.resolve("out/app.gvmi");
        Files.createDirectories(output.getParent());
        List<String> steps = new java.util.ArrayList<>();

        ConversionResult result = new GvmiConverter(Compression.LZO, RootfsConversionTest.recording(steps))
                .convertArchive(archive, ConfigOverrides.none(), output);

        assertLayersApplied(output);
        assertThat(GvmiImage.open(output).config()).isEqualTo(CONFIG);
        assertThat(result.sha3()).isEqualTo(RootfsConversionTest.opensslSha3(output));
        assertThat(steps).filteredOn(s -> s.startsWith("extracting layer")).hasSize(3);
        assertThat(Files.list(output.getParent()).toList()).as("no staging left behind").containsExactly(output);
    }

    @Test
    void ociLayoutDirectoryTakesTheAmd64ImageAndAppliesOverrides() throws Exception {
        Path layout = SavedImages.ociLayout(dir.resolve("layout"), CONFIG, layers(), otherPlatform());
        Path output = dir.resolve("oci.gvmi");
        ConfigOverrides overrides = new ConfigOverrides(null, List.of("FOO=baz", "NEW=1"), List.of("/golem/input"),
                null, List.of("sh"), null);

        ConversionResult result = new GvmiConverter(Compression.GZIP, ProgressListener.NONE)
                .convertArchive(layout, overrides, output);

        assertLayersApplied(output);
        ContainerConfig config = GvmiImage.open(output).config();
        assertThat(config.env()).containsExactly("PATH=/usr/bin:/bin", "FOO=baz", "NEW=1");
        assertThat(config.volumes()).containsExactly("/golem/output", "/golem/input");
        assertThat(config.workingDir()).contains("/app");
        assertThat(config.cmd()).containsExactly("sh");
        assertThat(result.warnings()).anyMatch(w -> w.startsWith("ENTRYPOINT [] / CMD [sh] are ignored"));
    }

    @Test
    void ociLayoutTarballConvertsLikeTheDirectory() throws Exception {
        Path layout = SavedImages.ociLayoutTar(dir.resolve("layout.tar"), CONFIG, layers(), otherPlatform());
        Path output = dir.resolve("oci-tar.gvmi");

        new GvmiConverter(Compression.LZO, ProgressListener.NONE).convertArchive(layout, ConfigOverrides.none(), output);

        assertLayersApplied(output);
    }

    @Test
    void hardLinksStayOneFile() throws Exception {
        Path archive = SavedImages.dockerSave(dir.resolve("app.tar"), CONFIG, layers());
        Path output = dir.resolve("links.gvmi");
        new GvmiConverter(Compression.LZO, ProgressListener.NONE).convertArchive(archive, ConfigOverrides.none(), output);

        Path extracted = dir.resolve("extracted");
        Process unsquash = new ProcessBuilder("unsquashfs", "-d", extracted.toString(), output.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(unsquash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.getAttribute(extracted.resolve("app/hard"), "unix:ino"))
                .isEqualTo(Files.getAttribute(extracted.resolve("app/keep.txt"), "unix:ino"));
        assertThat(Files.getAttribute(extracted.resolve("app/keep.txt"), "unix:nlink")).isEqualTo(2);
    }

    @Test
    void ownersSurviveAConversionByAnUnprivilegedUser() throws Exception {
        Prerequisite.require(Prerequisite.isRoot(),
                "root: the test switches to an unprivileged user (run as non-root, every other test here already is that case)");
        Path shared = Files.createTempDirectory("golem-sandbox-unprivileged-");
        try {
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path archive = SavedImages.dockerSave(shared.resolve("app.tar"), CONFIG, layers());
            Path output = shared.resolve("app.gvmi");
            List<String> classpath = new ArrayList<>();
            for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")).split(":")) {
                Path path = Path.of(entry);
                // Jars in the root-only Maven repository are copied where the other user can read them.
                classpath.add(Files.isRegularFile(path) ? Files.copy(path, shared.resolve(classpath.size() + "-" + path.getFileName())).toString() : entry);
            }
            Process child = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", String.join(":", classpath),
                    SeparateProcessConversion.class.getName(), archive.toString(), output.toString())
                    .redirectErrorStream(true).start();
            String log = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(log).isZero();

            assertThat(Files.getAttribute(output, "unix:uid")).as("written by the unprivileged user").isEqualTo(65534);
            assertLayersApplied(output);
        } finally {
            StagedRootfs.deleteTree(shared);
        }
    }

    @Test
    void archiveWithoutManifestOrIndexIsNotASavedImage() throws Exception {
        Path notAnImage = Files.write(dir.resolve("plain.tar"), new LayerTarBuilder().file("hello.txt", "hi", 0644, 0, 0).tar());
        assertThatThrownBy(() -> new GvmiConverter(Compression.LZO, ProgressListener.NONE)
                .convertArchive(notAnImage, ConfigOverrides.none(), dir.resolve("x.gvmi")))
                .isInstanceOf(ImageConversionException.class)
                .hasMessage(notAnImage + " is not a saved image: it has neither manifest.json (docker save) nor index.json (OCI layout);"
                        + " for a root filesystem tarball, unpack it and convert the directory");
        assertThat(dir.resolve("x.gvmi")).doesNotExist();
    }

    @Test
    void manifestThatLooksLikeUtf32IsNotValidJson() throws Exception {
        Path saved = Files.createDirectories(dir.resolve("saved"));
        // Four bytes before the first that are zero: what Jackson would otherwise read as UTF-32.
        Files.write(saved.resolve("manifest.json"), new byte[] {0, 0, 0, '[', 'z', '"', 'C', '[', ']'});
        assertThatThrownBy(() -> new GvmiConverter(Compression.LZO, ProgressListener.NONE)
                .convertArchive(saved, ConfigOverrides.none(), dir.resolve("x.gvmi")))
                .isInstanceOf(ImageConversionException.class)
                .hasMessageStartingWith(saved + ": manifest.json is not valid JSON (");
        assertThat(dir.resolve("x.gvmi")).doesNotExist();
    }

    @Test
    void gzipCompressedArchiveGetsAHint() throws Exception {
        Path gz = Files.write(dir.resolve("app.tar.gz"), new LayerTarBuilder().file("a", "b", 0644, 0, 0).gzip());
        assertThatThrownBy(() -> new GvmiConverter(Compression.LZO, ProgressListener.NONE)
                .convertArchive(gz, ConfigOverrides.none(), dir.resolve("x.gvmi")))
                .isInstanceOf(ImageConversionException.class)
                .hasMessage(gz + " is gzip-compressed; unpack it first (gunzip -k app.tar.gz)");
    }

    @Test
    void truncatedLayerIsOneErrorNamingTheLayer() throws Exception {
        byte[] layer = new LayerTarBuilder().file("big.bin", "x".repeat(100_000), 0644, 0, 0).gzip();
        byte[] truncated = java.util.Arrays.copyOf(layer, layer.length / 2);
        Path archive = SavedImages.dockerSave(dir.resolve("cut.tar"), CONFIG, List.of(truncated));
        assertThatThrownBy(() -> new GvmiConverter(Compression.LZO, ProgressListener.NONE)
                .convertArchive(archive, ConfigOverrides.none(), dir.resolve("x.gvmi")))
                .isInstanceOf(ImageConversionException.class)
                .hasMessageStartingWith("failed while extracting layer 1/1 (")
                .hasMessageNotContaining("\n");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList()).containsExactly("cut.tar");
    }

    private static void assertLayersApplied(Path gvmi) throws Exception {
        Map<String, SquashfsListing.Entry> files = SquashfsListing.of(gvmi);
        assertThat(files.keySet()).containsExactlyInAnyOrderElementsOf(EXPECTED_PATHS);
        assertThat(files.get("/app").permissions()).isEqualTo("drwxr-x---");
        assertThat(files.get("/app").owner()).isEqualTo("1234:1234");
        assertThat(files.get("/app/keep.txt").owner()).isEqualTo("1234:1234");
        assertThat(files.get("/app/keep.txt").permissions()).isEqualTo("-rw-r-----");
        assertThat(files.get("/bin/suid").permissions()).isEqualTo("-rwsr-xr-x");
        assertThat(files.get("/bin/suid").owner()).isEqualTo("0:0");
        assertThat(files.get("/etc/passwd").owner()).isEqualTo("0:42");
        assertThat(files.get("/app/link").type()).isEqualTo('d');
        assertThat(files.get("/dev/null").permissions()).isEqualTo("crw-rw-rw-");
        assertThat(files.get("/dev/null").size()).isEqualTo("1,  3");
        assertThat(files.get("/run/fifo").permissions()).isEqualTo("prw-------");
        assertThat(files.get("/app/hard").size()).isEqualTo("4");
        assertThat(SquashfsListing.cat(gvmi, "/etc/passwd")).isEqualTo("root:x:0:0:v2\n");
        assertThat(SquashfsListing.cat(gvmi, "/app/hard")).isEqualTo("keep");
        assertThat(SquashfsListing.cat(gvmi, "/data/new")).isEqualTo("new");
    }

    /**
     * Layer 1 (plain tar) lays out the tree; layer 2 (gzip) whites out a file, makes /data opaque
     * (keeping its own /data/new, written before the marker), hard-links and replaces a file;
     * layer 3 (zstd) replaces a symlink with a directory, whites out a directory, and keeps a file
     * it whites out itself (a whiteout hides lower layers only).
     */
    static List<byte[]> layers() {
        byte[] layer1 = new LayerTarBuilder()
                .dir("etc", 0755, 0, 0)
                .file("etc/passwd", "root:x:0:0:v1\n", 0644, 0, 42)
                .dir("app", 0750, 1234, 1234)
                .file("app/keep.txt", "keep", 0640, 1234, 1234)
                .file("app/remove-me.txt", "x", 0644, 0, 0)
                .symlink("app/link", "keep.txt")
                .dir("data", 0755, 0, 0)
                .file("data/old1", "old", 0644, 0, 0)
                .dir("data/sub", 0755, 0, 0)
                .file("data/sub/old2", "old", 0644, 0, 0)
                .dir("bin", 0755, 0, 0)
                .file("bin/suid", "#!/bin/sh\n", 04755, 0, 0)
                .dir("dev", 0755, 0, 0)
                .charDevice("dev/null", 1, 3, 0666)
                .dir("run", 0755, 0, 0)
                .fifo("run/fifo", 0600)
                .dir("scratch", 0755, 0, 0)
                .file("scratch/tmp.txt", "tmp", 0644, 0, 0)
                .tar();
        byte[] layer2 = new LayerTarBuilder()
                .dir("app", 0750, 1234, 1234)
                .whiteout("app/remove-me.txt")
                .dir("data", 0755, 0, 0)
                .file("data/new", "new", 0644, 0, 0)
                .opaque("data")
                .hardLink("app/hard", "app/keep.txt")
                .file("etc/passwd", "root:x:0:0:v2\n", 0644, 0, 42)
                .gzip();
        byte[] layer3 = new LayerTarBuilder()
                .dir("app/link", 0755, 0, 0)
                .file("app/link/inner", "inner", 0644, 0, 0)
                .file("app/late", "late", 0644, 0, 0)
                .whiteout("app/late")
                .whiteout("scratch")
                .zstd();
        return List.of(layer1, layer2, layer3);
    }

    private static List<byte[]> otherPlatform() {
        return List.of(new LayerTarBuilder().file("arm64-only", "wrong platform", 0644, 0, 0).gzip());
    }
}
