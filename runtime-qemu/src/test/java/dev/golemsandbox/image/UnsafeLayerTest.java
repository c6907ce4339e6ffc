package dev.golemsandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.gvmi.ContainerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layers crafted to write outside the image root are refused with one line that names the entry,
 * and nothing appears outside the output file: no output, no leftover staging, nothing on the host.
 */
class UnsafeLayerTest {

    private static final ContainerConfig CONFIG = ContainerConfig.empty().withVolumes(List.of("/golem/output"));

    @TempDir
    Path dir;

    private Path out;
    private Path outside;

    @BeforeEach
    void setUp() throws Exception {
        out = Files.createDirectories(dir.resolve("out"));
        outside = Files.createDirectories(dir.resolve("outside"));
    }

    @Test
    void dotDotEntryIsRefused() throws Exception {
        byte[] layer = new LayerTarBuilder().dir("etc", 0755, 0, 0).rawFile("etc/../../../outside/evil", "pwned").tar();
        assertRefused(layer, "layer 1/1 (%s): refused entry 'etc/../../../outside/evil': '..' would climb out of the image root");
    }

    @Test
    void absolutePathIsRefused() throws Exception {
        Path target = Path.of("/tmp", "golem-sandbox-evil-" + UUID.randomUUID());
        byte[] layer = new LayerTarBuilder().rawFile(target.toString(), "pwned").tar();
        assertRefused(layer, "layer 1/1 (%s): refused entry '" + target + "': an absolute path would land outside the image root");
        assertThat(target).doesNotExist();
    }

    @Test
    void entryThroughASymlinkThatLeavesTheRootIsRefused() throws Exception {
        String up = "../".repeat(20) + outside.toString().substring(1);
        byte[] layer = new LayerTarBuilder()
                .symlink("escape", up)
                .rawFile("escape/evil", "pwned")
                .tar();
        assertRefused(layer, "layer 1/1 (%s): refused entry 'escape/evil': it goes through the symlink '/escape' -> '"
                + up + "', which points outside the image root");
    }

    @Test
    void symlinkPlantedInOneLayerAndFollowedInTheNextIsRefused() throws Exception {
        byte[] first = new LayerTarBuilder().dir("var", 0755, 0, 0).symlink("var/log", "../../..").tar();
        byte[] second = new LayerTarBuilder().rawFile("var/log/evil", "pwned").tar();
        Path archive = SavedImages.dockerSave(dir.resolve("two.tar"), CONFIG, List.of(first, second));
        assertThatThrownBy(() -> convert(archive))
                .isInstanceOf(ImageConversionException.class)
                .hasMessageEndingWith("refused entry 'var/log/evil': it goes through the symlink '/var/log' -> '../../..',"
                        + " which points outside the image root");
        assertNothingWritten();
    }

    @Test
    void hardLinkToOutsideIsRefused() throws Exception {
        byte[] layer = new LayerTarBuilder().hardLink("passwd", "../../../../etc/passwd").tar();
        assertRefused(layer, "layer 1/1 (%s): refused hard link 'passwd' -> '../../../../etc/passwd': its target climbs"
                + " out of the image root with '..'");
    }

    @Test
    void hardLinkThroughAnEscapingSymlinkIsRefused() throws Exception {
        byte[] layer = new LayerTarBuilder()
                .symlink("host", "../../../../../../..")
                .hardLink("shadow", "host/etc/shadow")
                .tar();
        assertRefused(layer, "layer 1/1 (%s): refused entry 'shadow': it goes through the symlink '/host' ->"
                + " '../../../../../../..', which points outside the image root");
    }

    @Test
    void absoluteSymlinksAreFollowedInsideTheImage() throws Exception {
        // /lib -> /usr/lib is normal in images: an entry under it lands in the image's /usr/lib, not the host's.
        String hostDir = outside.toString().substring(1);
        byte[] layer = new LayerTarBuilder()
                .dir(hostDir, 0755, 0, 0)
                .symlink("alias", "/" + hostDir)
                .file("alias/inside.txt", "stays in the image", 0644, 0, 0)
                .tar();
        Path archive = SavedImages.dockerSave(dir.resolve("ok.tar"), CONFIG, List.of(layer));
        Path output = out.resolve("ok.gvmi");

        new GvmiConverter(Compression.LZO, ProgressListener.NONE).convertArchive(archive, ConfigOverrides.none(), output);

        Map<String, SquashfsListing.Entry> files = SquashfsListing.of(output);
        assertThat(files).containsKey("/" + hostDir + "/inside.txt");
        assertThat(outside.resolve("inside.txt")).doesNotExist();
    }

    @Test
    void controlCharactersInANameCannotMakeMksquashfsRunACommand() throws Exception {
        // \v, \f and \r split a pseudo definition like spaces: the name would read as
        // "x f 644 0 0 >$MARKER", a file whose content is the output of a shell command.
        String name = "x\u000bf\u000c644\r0\u000b0\u000b>$GOLEM_SANDBOX_TEST_MARKER";
        byte[] layer = new LayerTarBuilder().file(name, "x", 0644, 0, 0).tar();
        Path archive = SavedImages.dockerSave(dir.resolve("evil.tar"), CONFIG, List.of(layer));
        Path marker = outside.resolve("command-ran");
        Path output = out.resolve("evil.gvmi");

        // In a child process with its own environment and working directory, where the command would act.
        ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                SeparateProcessConversion.class.getName(), archive.toString(), output.toString())
                .directory(outside.toFile())
                .redirectErrorStream(true);
        child.environment().put("GOLEM_SANDBOX_TEST_MARKER", marker.toString());
        Process process = child.start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(marker).as("file made by a command in an image name").doesNotExist();
        assertThat(process.exitValue()).as(log).isNotZero();
        assertThat(log).contains(ImageConversionException.class.getName() + ": layer 1/1 (" + SavedImages.sha256(layer)
                + "/layer.tar): refused entry 'x\\x0bf\\x0c644\\x0d0\\x0b0\\x0b>$GOLEM_SANDBOX_TEST_MARKER': its name holds"
                + " the control character \\x0b, which no image path may hold\n");
        assertNothingWritten();
    }

    @Test
    void newlineInANameIsRefusedLikeAnyControlCharacter() throws Exception {
        byte[] layer = new LayerTarBuilder().dir("etc", 0755, 0, 0).file("etc/two\nlines", "x", 0644, 0, 0).tar();
        assertRefused(layer, "layer 1/1 (%s): refused entry 'etc/two\\x0alines': its name holds the control character \\x0a,"
                + " which no image path may hold");
    }

    @Test
    void paxNameThatIsNotUtf8IsRefusedRatherThanRenamed() throws Exception {
        // A PAX record "path=caf\xe9.txt": the tar reader can only decode it with a replacement character.
        byte[] value = "path=caf\u00e9.txt\n".getBytes(StandardCharsets.ISO_8859_1);
        int length = value.length + 3;
        byte[] record = (length + " " + new String(value, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
                     new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry pax = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(
                    "PaxHeaders/cafe.txt", org.apache.commons.compress.archivers.tar.TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
            pax.setSize(record.length);
            tar.putArchiveEntry(pax);
            tar.write(record);
            tar.closeArchiveEntry();
            org.apache.commons.compress.archivers.tar.TarArchiveEntry file = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("cafe.txt");
            file.setSize(1);
            tar.putArchiveEntry(file);
            tar.write('x');
            tar.closeArchiveEntry();
        }
        assertThat(record.length).isEqualTo(length);
        assertRefused(bytes.toByteArray(), "layer 1/1 (%s): refused entry 'caf\ufffd.txt': its name is not valid UTF-8"
                + " (shown with \ufffd), and an image keeps names exactly");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", ""})
    void whiteoutOfAParentOrItselfIsRefusedAndDeletesNothingBesideTheStaging(String hidden) throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path sibling = Files.writeString(work.resolve("sibling.txt"), "must survive");
        byte[] lower = new LayerTarBuilder().dir("etc", 0755, 0, 0).file("etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0644, 0, 0).tar();
        byte[] upper = new LayerTarBuilder().whiteout(hidden).tar();
        Path archive = SavedImages.dockerSave(dir.resolve("evil.tar"), CONFIG, List.of(lower, upper));

        assertThatThrownBy(() -> new GvmiConverter(Compression.LZO, ProgressListener.NONE).withWorkDirectory(work)
                .convertArchive(archive, ConfigOverrides.none(), out.resolve("evil.gvmi")))
                .isInstanceOf(ImageConversionException.class)
                .hasMessage("layer 2/2 (" + SavedImages.sha256(upper) + "/layer.tar): refused whiteout '.wh." + hidden + "': '"
                        + hidden + "' names no entry beside it (hiding it would delete its own directory or what lies above it)");

        assertThat(sibling).as("a file beside the staging directory").hasContent("must survive");
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.toList()).as("work directory after a refused conversion").containsExactly(sibling);
        }
        assertNothingWritten();
    }

    @Test
    void whiteoutOfAParentInsideADirectoryIsRefused() throws Exception {
        byte[] lower = new LayerTarBuilder().dir("etc", 0755, 0, 0).file("etc/passwd", "x", 0644, 0, 0).tar();
        byte[] upper = new LayerTarBuilder().whiteout("etc/..").tar();
        Path archive = SavedImages.dockerSave(dir.resolve("evil.tar"), CONFIG, List.of(lower, upper));
        assertThatThrownBy(() -> convert(archive))
                .isInstanceOf(ImageConversionException.class)
                .hasMessageEndingWith("refused whiteout 'etc/.wh...': '..' names no entry beside it"
                        + " (hiding it would delete its own directory or what lies above it)");
        assertNothingWritten();
    }

    private void assertRefused(byte[] layer, String messageFormat) throws Exception {
        Path archive = SavedImages.dockerSave(dir.resolve("evil.tar"), CONFIG, List.of(layer));
        String layerPath = SavedImages.sha256(layer) + "/layer.tar";
        assertThatThrownBy(() -> convert(archive))
                .isInstanceOf(ImageConversionException.class)
                .hasMessage(String.format(messageFormat, layerPath));
        assertNothingWritten();
    }

    private void convert(Path archive) throws Exception {
        new GvmiConverter(Compression.LZO, ProgressListener.NONE).convertArchive(archive, ConfigOverrides.none(), out.resolve("evil.gvmi"));
    }

    private void assertNothingWritten() throws Exception {
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left.toList()).as("output directory after a refused conversion").isEmpty();
        }
        try (Stream<Path> left = Files.walk(outside)) {
            assertThat(left.toList()).as("directory outside the image").containsExactly(outside);
        }
    }
}
