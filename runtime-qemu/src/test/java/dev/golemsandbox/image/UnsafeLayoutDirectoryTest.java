package dev.golemsandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.gvmi.ContainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image layout given as a directory is read only from real files inside it: a symlink at any
 * step of a path the image's JSON names, or a path that climbs out, is refused before anything is
 * opened through it.
 */
class UnsafeLayoutDirectoryTest {

    private static final ContainerConfig CONFIG = ContainerConfig.empty().withVolumes(List.of("/golem/output"));

    @TempDir
    Path dir;

    private Path layout;
    private Path outside;
    private Path out;

    @BeforeEach
    void setUp() throws Exception {
        byte[] layer = new LayerTarBuilder().dir("app", 0755, 0, 0).file("app/hello.txt", "hi", 0644, 0, 0).tar();
        layout = SavedImages.ociLayout(dir.resolve("layout"), CONFIG, List.of(layer), List.of(layer));
        outside = Files.createDirectories(dir.resolve("outside"));
        out = Files.createDirectories(dir.resolve("out"));
    }

    @Test
    void blobsReachedThroughAnIntermediateSymlinkAreRefused() throws Exception {
        // The blobs live outside the layout; the layout only links to their directory.
        Path blobs = layout.resolve("blobs/sha256");
        Files.move(blobs, outside.resolve("sha256"));
        Files.createSymbolicLink(blobs, outside.resolve("sha256"));

        assertThatThrownBy(() -> convert(layout))
                .isInstanceOf(ImageConversionException.class)
                .hasMessageStartingWith(layout + ": refused to read 'blobs/sha256/")
                .hasMessageEndingWith("': blobs/sha256 is a symlink, and the files of an image layout are read only where they are");
        assertNoOutput();
    }

    @Test
    void anIndexThatIsASymlinkIsRefused() throws Exception {
        Path index = layout.resolve("index.json");
        Files.move(index, outside.resolve("index.json"));
        Files.createSymbolicLink(index, outside.resolve("index.json"));

        assertThatThrownBy(() -> convert(layout))
                .isInstanceOf(ImageConversionException.class)
                .hasMessage(layout + ": refused to read 'index.json': index.json is a symlink, and the files of an image layout"
                        + " are read only where they are");
        assertNoOutput();
    }

    @Test
    void aManifestPathThatClimbsOutIsMissing() throws Exception {
        Path saved = Files.createDirectories(dir.resolve("saved"));
        Files.writeString(outside.resolve("config.json"), "{\"config\":{}}");
        Files.writeString(saved.resolve("manifest.json"), "[{\"Config\":\"../outside/config.json\",\"Layers\":[]}]");

        assertThatThrownBy(() -> convert(saved))
                .isInstanceOf(ImageConversionException.class)
                .hasMessage(saved + ": the image refers to '../outside/config.json', which the archive does not contain");
        assertNoOutput();
    }

    @Test
    void theSameLayoutWithRealDirectoriesConverts() throws Exception {
        convert(layout);
        assertThat(SquashfsListing.of(out.resolve("image.gvmi"))).containsKey("/app/hello.txt");
    }

    private void convert(Path source) throws Exception {
        new GvmiConverter(Compression.LZO, ProgressListener.NONE).convertArchive(source, ConfigOverrides.none(), out.resolve("image.gvmi"));
    }

    private void assertNoOutput() throws Exception {
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left.toList()).as("output directory after a refused conversion").isEmpty();
        }
    }
}
