package dev.golemsandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.gvmi.ContainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
