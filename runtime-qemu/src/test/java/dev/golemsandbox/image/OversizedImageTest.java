package dev.golemsandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.gvmi.ContainerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved images that would unpack to far more than they weigh (compression bombs, sparse files,
 * floods of entries, giant headers) are refused under the extraction limits before they fill the
 * disk or the heap, with a message that says how to raise the limit; nothing is left behind.
 */
class OversizedImageTest {

    private static final ContainerConfig CONFIG = ContainerConfig.empty().withVolumes(List.of("/golem/output"));
    private static final ExtractionLimits SMALL = new ExtractionLimits(16L << 20, 100);

    @TempDir
    Path dir;

    private Path work;
    private Path out;

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createDirectories(dir.resolve("work"));
        out = Files.createDirectories(dir.resolve("out"));
    }

    @Test
    void gzipBombIsRefusedBeforeItIsWritten() throws Exception {
        byte[] bomb = gzipTar(tar -> zeros(tar, "bomb.bin", TarConstants.LF_NORMAL, 256L << 20));
        assertThat(bomb.length).as("compressed size of the bomb").isLessThan(1 << 20);

        assertRefused(bomb, "layer 1/1 (%s): refused entry 'bomb.bin': the image unpacks to more than 16 MiB; if it really"
                + " is that large, raise the limit with --max-image-bytes or GOLEM_SANDBOX_MAX_IMAGE_BYTES");
    }

    @Test
    void dataThatIsNeverWrittenStillCountsAsUnpacked() throws Exception {
        // A device entry with 256 MiB of "content": nothing is written, but it all has to be decompressed.
        byte[] bomb = gzipTar(tar -> zeros(tar, "dev/zero", TarConstants.LF_CHR, 256L << 20));
        assertRefused(bomb, "layer 1/1 (%s): the image unpacks to more than 16 MiB; if it really is that large, raise the"
                + " limit with --max-image-bytes or GOLEM_SANDBOX_MAX_IMAGE_BYTES");
    }

    @Test
    void sparseFileCountsItsApparentSize() throws Exception {
        Path source = Files.createDirectories(dir.resolve("sparse-source"));
        try (var file = new java.io.RandomAccessFile(source.resolve("holes.img").toFile(), "rw")) {
            file.setLength(1L << 30);
            file.write(1);
        }
        Path layer = dir.resolve("sparse.tar");
        Process tar = new ProcessBuilder("tar", "--sparse", "--format=posix", "-cf", layer.toString(), "-C", source.toString(), "holes.img")
                .redirectErrorStream(true).start();
        String log = new String(tar.getInputStream().readAllBytes());
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(log).isZero();
        assertThat(Files.size(layer)).as("the sparse tar is small").isLessThan(1 << 20);

        assertRefused(Files.readAllBytes(layer), "layer 1/1 (%s): refused entry 'holes.img': the image unpacks to more than"
                + " 16 MiB; if it really is that large, raise the limit with --max-image-bytes or GOLEM_SANDBOX_MAX_IMAGE_BYTES");
    }

    @Test
    void floodOfEntriesIsRefusedAtTheLimit() throws Exception {
        LayerTarBuilder builder = new LayerTarBuilder().dir("many", 0755, 0, 0);
        for (int i = 0; i < 200; i++) {
            builder.file("many/f" + i, "", 0644, 0, 0);
        }
        assertRefused(builder.tar(), "layer 1/1 (%s): refused entry 'many/f99': the image holds more than 100 entries; if it"
                + " really is that large, raise the limit with --max-image-entries or GOLEM_SANDBOX_MAX_IMAGE_ENTRIES");
    }

    @Test
    void entriesOfAllLayersCountTogether() throws Exception {
        LayerTarBuilder first = new LayerTarBuilder();
        LayerTarBuilder second = new LayerTarBuilder();
        for (int i = 0; i < 60; i++) {
            first.file("a" + i, "", 0644, 0, 0);
            second.file("b" + i, "", 0644, 0, 0);
        }
        Path archive = SavedImages.dockerSave(dir.resolve("two.tar"), CONFIG, List.of(first.tar(), second.tar()));
        assertThatThrownBy(() -> convert(archive, SMALL))
                .isInstanceOf(ImageConversionException.class)
                .hasMessageStartingWith("layer 2/2 (")
                .hasMessageContaining("refused entry 'b40': the image holds more than 100 entries");
        assertNothingLeft();
    }

    @Test
    void giantHeaderIsRefusedBeforeItFillsTheHeap() throws Exception {
        byte[] layer = gzipTar(tar -> {
            TarArchiveEntry entry = new TarArchiveEntry("small.txt");
            entry.addPaxHeader("comment", "x".repeat(24 << 20));
            entry.setSize(0);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        });
        assertRefused(layer, ExtractionLimits.DEFAULTS, "failed while extracting layer 1/1 (%s): the headers of one entry take"
                + " more than 16 MiB; no image needs that");
    }

    @Test
    void manifestListingEndlessLayersIsRefused() throws Exception {
        byte[] layer = new LayerTarBuilder().file("a", "", 0644, 0, 0).tar();
        Path saved = Files.createDirectories(dir.resolve("saved"));
        // The same small layer, 1001 times over.
        String layerPath = SavedImages.sha256(layer) + "/layer.tar";
        Files.createDirectories(saved.resolve(layerPath).getParent());
        Files.write(saved.resolve(layerPath), layer);
        Files.writeString(saved.resolve("config.json"), "{\"config\":{}}");
        Files.writeString(saved.resolve("manifest.json"), "[{\"Config\":\"config.json\",\"Layers\":["
                + String.join(",", java.util.Collections.nCopies(1001, "\"" + layerPath + "\"")) + "]}]");
        assertThatThrownBy(() -> convert(saved, ExtractionLimits.DEFAULTS))
                .isInstanceOf(ImageConversionException.class)
                .hasMessage(saved + ": the image lists 1001 layers; no image has more than 1000 (Docker stops at 128)");
        assertNothingLeft();
    }

    @Test
    void imagesWithinTheLimitsConvert() throws Exception {
        byte[] layer = new LayerTarBuilder().dir("app", 0755, 0, 0).file("app/data.bin", new byte[1 << 20], 0644, 0, 0).tar();
        Path archive = SavedImages.dockerSave(dir.resolve("ok.tar"), CONFIG, List.of(layer));
        Path output = out.resolve("ok.gvmi");
        new GvmiConverter(Compression.LZO, ProgressListener.NONE).withWorkDirectory(work)
                .withLimits(new ExtractionLimits(2L << 20, 2)).convertArchive(archive, ConfigOverrides.none(), output);
        assertThat(SquashfsListing.of(output)).containsKey("/app/data.bin");
    }

    private interface TarWriter {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    /** A gzip-compressed layer written as a stream, so that its uncompressed size never sits in memory. */
    private static byte[] gzipTar(TarWriter writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes), "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            writer.write(tar);
        }
        return bytes.toByteArray();
    }

    private static void zeros(TarArchiveOutputStream tar, String name, byte type, long size) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        entry.setMode(0644);
        entry.setSize(size);
        tar.putArchiveEntry(entry);
        byte[] chunk = new byte[1 << 20];
        for (long written = 0; written < size; written += chunk.length) {
            tar.write(chunk, 0, (int) Math.min(chunk.length, size - written));
        }
        tar.closeArchiveEntry();
    }

    private void assertRefused(byte[] layer, String messageFormat) throws Exception {
        assertRefused(layer, SMALL, messageFormat);
    }

    private void assertRefused(byte[] layer, ExtractionLimits limits, String messageFormat) throws Exception {
        Path archive = SavedImages.dockerSave(dir.resolve("big.tar"), CONFIG, List.of(layer));
        assertThatThrownBy(() -> convert(archive, limits))
                .isInstanceOf(ImageConversionException.class)
                .hasMessage(String.format(messageFormat, SavedImages.sha256(layer) + "/layer.tar"));
        assertNothingLeft();
    }

    private void convert(Path archive, ExtractionLimits limits) throws Exception {
        new GvmiConverter(Compression.LZO, ProgressListener.NONE).withWorkDirectory(work).withLimits(limits)
                .convertArchive(archive, ConfigOverrides.none(), out.resolve("big.gvmi"));
    }

    private void assertNothingLeft() throws IOException {
        for (Path d : List.of(work, out)) {
            try (Stream<Path> left = Files.list(d)) {
                assertThat(left.toList()).as("left in " + d + " after a refused conversion").isEmpty();
            }
        }
    }
}
