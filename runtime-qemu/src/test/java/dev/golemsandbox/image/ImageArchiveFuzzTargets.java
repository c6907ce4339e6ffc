package dev.golemsandbox.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzz targets for the readers of untrusted saved images: a layer (plain, gzip or
 * zstd tar) staged into a root filesystem, and a saved-image tar with its manifests. Any input is
 * either read or refused with {@link ImageConversionException}, never another exception; nothing
 * is written outside the staging directory, which is gone afterwards; small extraction limits keep
 * each input cheap and check that they hold. A plain test run replays the seeds and regression
 * inputs; {@code JAZZER_FUZZ=1} fuzzes each target for its budget.
 */
class ImageArchiveFuzzTargets {

    private static final ExtractionLimits LIMITS = new ExtractionLimits(1 << 20, 2_000);
    private static final String SENTINEL_CONTENT = "beside the work directory";

    @TempDir
    static Path dir;

    private static Path work;
    private static Path sentinel;

    @BeforeAll
    static void createDirectories() throws IOException {
        work = Files.createDirectories(dir.resolve("work"));
        sentinel = Files.writeString(dir.resolve("sentinel"), SENTINEL_CONTENT);
    }

    @FuzzTest(maxDuration = "60s")
    void layerReaderRefusesOrStages(byte[] input) throws IOException {
        try (StagedRootfs rootfs = StagedRootfs.createIn(work, LIMITS)) {
            LayerReader.extract(rootfs, "layer", new ByteArrayInputStream(input));
            rootfs.configure(new Mksquashfs(Compression.LZO));
            assertThat(rootfs.warnings()).allSatisfy(w -> assertThat(w).doesNotContain("\n"));
        } catch (ImageConversionException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n");
        }
        assertNothingOutsideTheWorkDirectory();
    }

    @FuzzTest(maxDuration = "60s")
    void savedImageReaderRefusesOrReads(byte[] input) throws IOException {
        Path file = Files.write(dir.resolve("input.tar"), input);
        try (ImageArchive archive = ImageArchive.open(file)) {
            ImageLayout layout = ImageLayout.read(archive);
            for (String layer : layout.layers()) {
                long size = archive.size(layer);
                try (InputStream in = archive.open(layer)) {
                    assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(size);
                }
            }
        } catch (ImageConversionException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n");
        }
    }

    private static void assertNothingOutsideTheWorkDirectory() throws IOException {
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.toList()).as("staging left behind").isEmpty();
        }
        try (Stream<Path> beside = Files.list(dir)) {
            assertThat(beside.map(p -> p.getFileName().toString()).filter(n -> !n.equals("input.tar")).sorted().toList())
                    .containsExactly("sentinel", "work");
        }
        assertThat(sentinel).hasContent(SENTINEL_CONTENT);
    }
}
